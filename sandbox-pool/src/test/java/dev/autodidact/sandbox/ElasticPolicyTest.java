package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ElasticPolicyTest {

    private static final double OVERSUBSCRIBE = 0.25;

    @Test
    void growsWhileJobsWaitForABusyPoolBelowTheProcessorCount() {
        assertThat(ElasticPolicy.shouldGrow(5, 0, 1, 4, 2, 0.0, OVERSUBSCRIBE)).isTrue();
    }

    @Test
    void doesNotGrowWhenIdleWorkersCanTakeTheBacklog() {
        assertThat(ElasticPolicy.shouldGrow(2, 2, 2, 4, 2, 1.0, OVERSUBSCRIBE)).isFalse();
    }

    @Test
    void growsPastTheProcessorsOnlyWhileTheCpuHasIdleTime() {
        assertThat(ElasticPolicy.shouldGrow(9, 0, 2, 8, 2, 0.05, OVERSUBSCRIBE)).isFalse();
        assertThat(ElasticPolicy.shouldGrow(9, 0, 2, 8, 2, 0.60, OVERSUBSCRIBE)).isTrue();
    }

    @Property
    void neverGrowsPastTheMaximum(
            @ForAll @IntRange(max = 100) int queued,
            @ForAll @IntRange(max = 10) int idle,
            @ForAll @IntRange(min = 1, max = 10) int max,
            @ForAll @IntRange(min = 1, max = 8) int processors,
            @ForAll @DoubleRange(min = 0, max = 1) double idleCpu) {
        assertThat(ElasticPolicy.shouldGrow(queued, idle, max, max, processors, idleCpu, OVERSUBSCRIBE)).isFalse();
    }

    @Test
    void cpuIdleComesFromTheAggregateProcStatLine() {
        CpuIdle.Reading before = CpuIdle.parse("cpu  100 0 100 700 100 0 0 0 0 0");
        CpuIdle.Reading after = CpuIdle.parse("cpu  200 0 200 800 100 0 0 0 0 0");

        assertThat(before).isEqualTo(new CpuIdle.Reading(800, 1000));
        assertThat(CpuIdle.idleFraction(before, after)).isEqualTo(100.0 / 300.0);
        assertThat(CpuIdle.parse("intr 1 2 3")).isNull();
        assertThat(CpuIdle.idleFraction(after, after)).isEqualTo(1.0);
    }
}
