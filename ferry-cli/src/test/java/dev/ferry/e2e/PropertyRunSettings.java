package dev.ferry.e2e;

import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a run of an expensive property be changed from the command line without editing the test:
 * {@code -Dferry.prop.tries=N} runs N tries (a long run), {@code -Dferry.prop.seed=S} replays the run
 * a failure reported (jqwik prints its seed; give the same number of tries, since jqwik's generation
 * depends on it too) and shrinks it fully to a minimal action sequence.
 */
public final class PropertyRunSettings implements AroundPropertyHook {
    static final String TRIES = "ferry.prop.tries";
    static final String SEED = "ferry.prop.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty(TRIES);
        if (tries != null && !tries.isBlank()) {
            context.attributes().setTries(Integer.parseInt(tries.trim()));
        }
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.trim());
            context.attributes().setShrinking(ShrinkingMode.FULL);
        }
        return property.execute();
    }
}
