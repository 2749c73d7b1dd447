package dev.ferry.server.conflict;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;

/** Hands each conflict to the user's {@link ConflictResolver}. */
final class CustomResolverPolicy implements ConflictPolicy {
    static final String NAME = "custom";

    private final String className;
    private final ConflictResolver resolver;

    CustomResolverPolicy(String className, ConflictResolver resolver) {
        this.className = className;
        this.resolver = resolver;
    }

    /** Loads and instantiates the resolver once, at server start, so a wrong class name fails then. */
    static CustomResolverPolicy load(String settingKey, String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, settingKey + ": resolver class " + className + " is not on the class path",
                    "put its jar on the server's class path (see docs/CONFLICTS.md)");
        }
        if (!ConflictResolver.class.isAssignableFrom(type)) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, settingKey + ": " + className + " does not implement "
                    + ConflictResolver.class.getName());
        }
        try {
            return new CustomResolverPolicy(className, (ConflictResolver) type.getDeclaredConstructor().newInstance());
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, settingKey + ": " + className + " needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, settingKey + ": creating " + className + " failed: " + e.getCause());
        }
    }

    @Override
    public String name() {
        return NAME + "(" + className + ")";
    }

    @Override
    public Decision decide(Conflict conflict, Connection c) {
        Resolution r;
        try {
            r = resolver.resolve(conflict);
        } catch (RuntimeException e) {
            throw new ConflictResolutionFailed("resolver " + className + " failed on this " + conflict.kind().text() + " conflict: " + e, e);
        }
        if (r == null) {
            throw new ConflictResolutionFailed("resolver " + className + " returned no resolution", null);
        }
        return Decision.of(r, "resolver " + className);
    }
}
