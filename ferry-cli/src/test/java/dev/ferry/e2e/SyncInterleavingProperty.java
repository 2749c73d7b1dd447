package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.util.List;
import java.util.Map;

/**
 * Issue 10: the sync guarantee as a property over interleavings. Random sequences of application
 * writes on the remotes (plain connections with the drivers' defaults, {@code INSERT OR REPLACE},
 * {@code REPLACE INTO}, {@code MERGE} and upserts included), writes by another application on the
 * consolidated database, syncs of every mode, rejected rows, lost answers and cut requests (a real TCP
 * proxy), writes made while a sync runs and client crashes at every transition the client reports
 * (thrown from its public {@code SyncListener}). After everyone syncs until nothing moves, the oracle
 * is the guarantee itself ({@link InterleavingTry}, {@link SyncGuaranteeModel}): every remote equals
 * the consolidated database, nothing is left pending, no acknowledged change is lost except as the
 * logged loser of a real conflict, and nothing is applied twice.
 *
 * <p>One consolidated database and server per property (subclass), reset between tries; each try
 * creates a SQLite and an H2 remote. A failure prints jqwik's seed, the failing action sequence and a
 * trace of what each step did, unshrunk; {@code -Dferry.prop.seed=SEED} replays it and shrinks it
 * fully, {@code -Dferry.prop.tries=N} runs longer ({@link PropertyRunSettings}).
 */
abstract class SyncInterleavingProperty {
    private static final List<String> REMOTE_KINDS = List.of("sqlite", "h2");

    private ConsolidatedFixture cons;
    private RunningFerry ferry;
    private FaultyProxy proxy;
    private int tries;

    /** A fresh consolidated database of the kind under test, with that server's default settings. */
    abstract TestDatabase consolidatedDatabase();

    @BeforeProperty
    void startServer() throws Exception {
        cons = new ConsolidatedFixture(consolidatedDatabase());
        InterleavingSchema.create(cons);
        InterleavingSchema.reset(cons);
        ferry = RunningFerry.start(cons, null, Map.of("sync.tables", "customer,orders"));
        proxy = new FaultyProxy(ferry.server.port());
    }

    @AfterProperty
    void stopServer() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (ferry != null) {
            ferry.close();
        }
    }

    // No shrinking by default: jqwik's time-bounded shrinking goes on in a thread of its own after it
    // reports, past @AfterProperty, against a dropped database (its connection attempts then fill
    // the log of every later test). -Dferry.prop.seed replays a failure and shrinks it fully.
    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    @AddLifecycleHook(PropertyRunSettings.class)
    void afterEveryoneSyncsEveryRemoteEqualsTheConsolidatedDatabaseAndNothingIsLostOrAppliedTwice(
            @ForAll("interleavings") List<InterleavingStep> steps) throws Exception {
        InterleavingSchema.reset(cons);
        if (tries % 25 == 0) {
            // Every CLI command run in this JVM builds a JDK HttpClient, whose selector thread and epoll
            // descriptors go only once the client is collected; a full shrink (hundreds of tries) ran out
            // of file descriptors without a collection now and then.
            System.gc();
        }
        try (InterleavingTry t = new InterleavingTry(cons, proxy)) {
            t.start("try" + ++tries, REMOTE_KINDS);
            t.run(steps);
            t.heal();
            t.check();
        }
    }

    @Provide
    Arbitrary<List<InterleavingStep>> interleavings() {
        return InterleavingArbitraries.steps(REMOTE_KINDS.size());
    }
}
