package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Map;

class EngineDefaultsTest {

    @Test
    void theAllocatorIsChosenOnlyWhenTheEnvironmentChoseNothing() {
        assertThat(EngineDefaults.allocatorUntouched(Map.of())).isTrue();
        assertThat(EngineDefaults.allocatorUntouched(Map.of("PATH", "/usr/bin", "OMP_WAIT_POLICY", "ACTIVE")))
                .isTrue();
        // Any allocator choice of the user's is left whole: one variable alone changes the others.
        assertThat(EngineDefaults.allocatorUntouched(Map.of("MALLOC_ARENA_MAX", "2"))).isFalse();
        assertThat(EngineDefaults.allocatorUntouched(Map.of("MALLOC_TRIM_THRESHOLD_", "0"))).isFalse();
        assertThat(EngineDefaults.allocatorUntouched(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=1")))
                .isFalse();
        assertThat(EngineDefaults.allocatorUntouched(Map.of("LD_PRELOAD", "/usr/lib/libjemalloc.so.2")))
                .isFalse();
    }
}
