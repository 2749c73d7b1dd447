package dev.ferry.e2e;

import dev.ferry.client.SyncMode;
import dev.ferry.e2e.InterleavingStep.AppWrite;
import dev.ferry.e2e.InterleavingStep.AppWritesDuring;
import dev.ferry.e2e.InterleavingStep.Crash;
import dev.ferry.e2e.InterleavingStep.Fault;
import dev.ferry.e2e.InterleavingStep.Interruption;
import dev.ferry.e2e.InterleavingStep.Moment;
import dev.ferry.e2e.InterleavingStep.ServerWrite;
import dev.ferry.e2e.InterleavingStep.ServerWritesDuring;
import dev.ferry.e2e.InterleavingStep.Sync;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Action sequences for {@link SyncInterleavingProperty}. The key space is tiny (three customers, three
 * orders) so that writes of different parties meet on the same rows, and customers are deleted often
 * enough to meet orders someone else adds meanwhile; about one value in five breaks a CHECK
 * constraint, so rejections are common; and one chunk in seven is a run of two to four syncs of one
 * remote over a bad network (a user retrying a failing sync), where lost answers follow each other.
 */
final class InterleavingArbitraries {
    private InterleavingArbitraries() {
    }

    static Arbitrary<List<InterleavingStep>> steps(int remotes) {
        Arbitrary<Integer> remote = Arbitraries.integers().between(0, remotes - 1);
        Arbitrary<InterleavingStep> appWrite = Combinators.combine(remote, write(true)).as(AppWrite::new);
        Arbitrary<InterleavingStep> serverWrite = write(false).map(ServerWrite::new);
        Arbitrary<InterleavingStep> sync = Combinators.combine(remote, mode(), fault(6), interruption().injectNull(0.5)).as(Sync::new);
        Arbitrary<List<InterleavingStep>> single = Arbitraries.frequencyOf(Tuple.of(6, appWrite), Tuple.of(3, serverWrite), Tuple.of(5, sync))
                .map(List::of);
        Arbitrary<List<InterleavingStep>> badNetwork = Combinators.combine(remote,
                        Combinators.combine(mode(), fault(1), interruption().injectNull(0.7)).as(Attempt::new).list().ofMinSize(2).ofMaxSize(4))
                .as((r, attempts) -> attempts.stream().map(a -> (InterleavingStep) new Sync(r, a.mode(), a.fault(), a.interruption())).toList());
        // Sizes uniform rather than the default bias to short lists, and a minimum of 1 so that a failure
        // shrinks down to the steps it needs.
        return Arbitraries.frequencyOf(Tuple.of(12, single), Tuple.of(2, badNetwork)).list().ofMinSize(1).ofMaxSize(30)
                .withSizeDistribution(RandomDistribution.uniform())
                .map(chunks -> chunks.stream().flatMap(List::stream).toList());
    }

    private record Attempt(SyncMode mode, Fault fault, Interruption interruption) {
    }

    private static Arbitrary<SyncMode> mode() {
        return Arbitraries.frequency(Tuple.of(3, SyncMode.FULL), Tuple.of(2, SyncMode.UPLOAD_ONLY), Tuple.of(1, SyncMode.DOWNLOAD_ONLY));
    }

    /** @param none weight of a sync the network leaves alone, against 8 for the faults */
    private static Arbitrary<Fault> fault(int none) {
        return Arbitraries.frequency(Tuple.of(none, Fault.NONE), Tuple.of(3, Fault.REQUEST_CUT), Tuple.of(3, Fault.ANSWER_LOST),
                Tuple.of(1, Fault.ANSWER_CUT), Tuple.of(1, Fault.ACK_LOST));
    }

    private static Arbitrary<Interruption> interruption() {
        Arbitrary<Moment> writable = Arbitraries.frequency(Tuple.of(2, Moment.APPLY_RESULTS), Tuple.of(1, Moment.BEFORE_DOWNLOAD));
        Arbitrary<Interruption> crash = Arbitraries.of(Moment.class).map(Crash::new);
        Arbitrary<Interruption> appWrites = Combinators.combine(writable, duringSyncWrite().list().ofMinSize(1).ofMaxSize(2)).as(AppWritesDuring::new);
        Arbitrary<Interruption> serverWrites = Combinators.combine(writable, write(false).list().ofMinSize(1).ofMaxSize(2)).as(ServerWritesDuring::new);
        return Arbitraries.frequencyOf(Tuple.of(2, crash), Tuple.of(2, appWrites), Tuple.of(1, serverWrites));
    }

    /** While a sync runs, a user most often goes on editing the record they just changed. */
    private static Arbitrary<RowWrite> duringSyncWrite() {
        return Arbitraries.frequencyOf(Tuple.of(1, value(0, true).map(v -> (RowWrite) new RowWrite.EditLastRow(v))), Tuple.of(1, write(true)));
    }

    /** @param invalidValues whether values the consolidated CHECK constraints refuse are generated (remotes store them) */
    static Arbitrary<RowWrite> write(boolean invalidValues) {
        Arbitrary<Long> customer = Arbitraries.of(RowKey.CUSTOMER_IDS);
        Arbitrary<Long> order = Arbitraries.of(RowKey.ORDER_IDS);
        Arbitrary<RowWrite.Via> via = Arbitraries.frequency(Tuple.of(3, RowWrite.Via.UPDATE), Tuple.of(1, RowWrite.Via.INSERT),
                Tuple.of(2, RowWrite.Via.REPLACE), Tuple.of(1, RowWrite.Via.UPSERT));
        Arbitrary<RowWrite> putCustomer = Combinators.combine(customer, Arbitraries.of("ann", "Ann", "bob"), value(-1, invalidValues), via).as(RowWrite.PutCustomer::new);
        Arbitrary<RowWrite> deleteCustomer = Combinators.combine(customer, Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)))
                .as(RowWrite.DeleteCustomer::new);
        Arbitrary<RowWrite> putOrder = Combinators.combine(order, customer, value(0, invalidValues), via).as(RowWrite.PutOrder::new);
        Arbitrary<RowWrite> deleteOrder = order.map(RowWrite.DeleteOrder::new);
        return Arbitraries.frequencyOf(Tuple.of(3, putCustomer), Tuple.of(2, deleteCustomer), Tuple.of(3, putOrder), Tuple.of(1, deleteOrder));
    }

    /** A balance or quantity from 1 to 9, or (when allowed) one time in five {@code invalid}, refused by the consolidated CHECK. */
    private static Arbitrary<Integer> value(int invalid, boolean allowed) {
        Arbitrary<Integer> valid = Arbitraries.integers().between(1, 9);
        return allowed ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(invalid)), Tuple.of(4, valid)) : valid;
    }
}
