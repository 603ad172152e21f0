package dev.autodidact.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's idle CPU fraction between two readings of /proc/stat. Read from the file rather
 * than through JMX: JMX CPU-time calls in the middle of training made runs diverge (NOTES.md).
 */
final class CpuIdle {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Cumulative jiffies: idle (idle + iowait) and total. */
    record Reading(long idle, long total) {}

    private Reading last = read();

    /** Idle fraction since the previous call (or since construction); 1.0 if unknown. */
    synchronized double sinceLastCall() {
        Reading now = read();
        double idle = idleFraction(last, now);
        last = now;
        return idle;
    }

    static double idleFraction(Reading before, Reading after) {
        if (before == null || after == null || after.total() <= before.total()) {
            return 1.0;
        }
        return (double) (after.idle() - before.idle()) / (after.total() - before.total());
    }

    /** Parses the aggregate "cpu ..." line: user nice system idle iowait irq softirq steal ... */
    static Reading parse(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (fields.length < 5 || !fields[0].equals("cpu")) {
            return null;
        }
        long total = 0;
        // Guest time is already counted in user time; fields 9 and 10 are left out.
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
        return new Reading(idle, total);
    }

    private static Reading read() {
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            return lines.isEmpty() ? null : parse(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
