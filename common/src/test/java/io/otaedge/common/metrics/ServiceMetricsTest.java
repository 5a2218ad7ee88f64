package io.otaedge.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    @Test
    void registryExportsTheStandardMetersTheDashboardUses() {
        try (ServiceMetrics metrics = ServiceMetrics.create()) {
            PrometheusText text = PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
            for (String name : new String[] {"jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_buffer_memory_used_bytes",
                    "jvm_threads_live_threads", "process_cpu_usage", "system_cpu_usage", "process_uptime_seconds",
                    "process_files_open_files", "netty_allocator_memory_used"}) {
                assertThat(text.has(name)).as(name).isTrue();
            }
            assertThat(text.type("jvm_gc_memory_allocated_bytes_total")).isEqualTo("counter");
        }
    }

    @Test
    void redisConnectorWithMetricsRecordsLettuceCommandLatency() throws Exception {
        try (ServiceMetrics metrics = ServiceMetrics.create();
             RedisConnector redis = RedisConnector.connect(TestRedis.uri(), Duration.ofSeconds(2), metrics.registry())) {
            redis.async().set("metrics-test", "1").get();
            PrometheusText text = PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
            assertThat(text.sum("lettuce_command_completion_seconds_count", java.util.Map.of("command", "SET")))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void parserRejectsSamplesOutsideTheFormat() {
        assertThatThrownBy(() -> PrometheusText.parse("x_total 1\n")).hasMessageContaining("undeclared");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x counter\nx_total{a=\"1} 1\n"))
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n")).hasMessageContaining("bad value");
        PrometheusText ok = PrometheusText.parse("# HELP x_a help\n# TYPE x_a counter\nx_a_total{k=\"a\\\"b\",} 2.5E1\n");
        assertThat(ok.sum("x_a_total", java.util.Map.of("k", "a\"b"))).isEqualTo(25.0);
    }
}
