package dev.autodidact.sandbox;

/** When the elastic pool adds a worker: a pure function of what the autoscaler observed. */
final class ElasticPolicy {

    private ElasticPolicy() {}

    /**
     * Grow when more jobs wait than idle workers can take, the maximum is not reached, and
     * either the pool has fewer workers than processors or the CPU still has idle time (jobs
     * that sleep or wait leave cores free; CPU-bound ones would only slow each other down).
     */
    static boolean shouldGrow(int queued, long idleWorkers, int workers, int maxWorkers, int processors,
            double idleCpuFraction, double idleCpuToOversubscribe) {
        if (queued <= idleWorkers || workers >= maxWorkers) {
            return false;
        }
        return workers < processors || idleCpuFraction >= idleCpuToOversubscribe;
    }
}
