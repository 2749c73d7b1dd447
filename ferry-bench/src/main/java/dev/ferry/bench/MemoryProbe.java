package dev.ferry.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the server JVM's memory from outside: attaches to it (the JDK attach API starts its local
 * JMX agent; no port, no flag on the server), samples heap use every 100 ms, takes the heap left after
 * every collection from GC notifications, and reads the resident set's high-water mark from
 * {@code /proc/PID/status} (VmHWM, reset per measurement through {@code clear_refs}). Anything it
 * cannot read prints "-" rather than failing the scenario. Not thread-safe: one measurement at a time.
 */
final class MemoryProbe implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 100;

    private final long pid;
    private final AtomicLong peakHeap = new AtomicLong(ServerMemory.UNKNOWN);
    private final AtomicLong peakLive = new AtomicLong(ServerMemory.UNKNOWN);
    private final AtomicLong peakRss = new AtomicLong(ServerMemory.UNKNOWN);
    private JMXConnector jmx;
    private MemoryMXBean memory;
    private Thread sampler;
    private volatile boolean hwmResettable;

    private MemoryProbe(long pid) {
        this.pid = pid;
    }

    static MemoryProbe attach(long pid) {
        MemoryProbe probe = new MemoryProbe(pid);
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                probe.jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
            MBeanServerConnection c = probe.jmx.getMBeanServerConnection();
            probe.memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            probe.listenToCollections(c);
        } catch (Exception e) {
            System.err.println("[bench] heap of the server (pid " + pid + ") not readable, heap columns print '-': " + e);
            probe.jmx = null;
            probe.memory = null;
        }
        probe.sampler = new Thread(probe::sample, "bench-memory-sampler");
        probe.sampler.setDaemon(true);
        probe.sampler.start();
        return probe;
    }

    /** Starts a measurement: forgets earlier peaks. */
    void begin() {
        peakHeap.set(ServerMemory.UNKNOWN);
        peakLive.set(ServerMemory.UNKNOWN);
        peakRss.set(ServerMemory.UNKNOWN);
        try {
            // "5" resets VmHWM to the current RSS (proc(5)); allowed for our own child process.
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            hwmResettable = true;
        } catch (IOException | RuntimeException e) {
            hwmResettable = false; // the sampled VmRSS maximum stands in
        }
    }

    /** The peaks since {@link #begin()}. */
    ServerMemory end() {
        sampleOnce();
        return new ServerMemory(peakHeap.get(), peakLive.get(), peakRss.get());
    }

    private void listenToCollections(MBeanServerConnection c) throws Exception {
        Set<String> heapPools = new HashSet<>();
        for (ObjectName n : c.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
            MemoryPoolMXBean pool = ManagementFactory.newPlatformMXBeanProxy(c, n.toString(), MemoryPoolMXBean.class);
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        NotificationListener onGc = (Notification n, Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long live = 0;
            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    live += e.getValue().getUsed();
                }
            }
            peakLive.accumulateAndGet(live, Math::max);
        };
        for (ObjectName gc : c.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
            c.addNotificationListener(gc, onGc, null, null);
        }
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            sampleOnce();
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleOnce() {
        MemoryMXBean m = memory;
        if (m != null) {
            try {
                MemoryUsage heap = m.getHeapMemoryUsage();
                peakHeap.accumulateAndGet(heap.getUsed(), Math::max);
            } catch (RuntimeException e) {
                // the server is stopping; keep the peaks taken so far
            }
        }
        long rss = procStatus(hwmResettable ? "VmHWM:" : "VmRSS:");
        if (rss >= 0) {
            peakRss.accumulateAndGet(rss, Math::max);
        }
    }

    /** A "Vm...: N kB" line of /proc/PID/status in bytes, or -1. */
    private long procStatus(String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String l : lines) {
                if (l.startsWith(field)) {
                    return Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return ServerMemory.UNKNOWN;
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.interrupt();
        }
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException e) {
                // the server may already be gone
            }
        }
    }
}
