package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.lang.ref.WeakReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** The scheduler's gauges keep reading numbers after the garbage collector has run (they once turned NaN). */
class SchedulerGaugesTest extends ServingTestBase {

    @Test
    void queueAndRunningGaugesSurviveAGarbageCollection() {
        forceGarbageCollection();
        String scrape = anonymous.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(value(scrape, "switchboard_queue_size")).isZero();
        assertThat(value(scrape, "switchboard_sequences_running")).isZero();
    }

    /** Collects until a weakly held object is gone, so weakly held gauge state would be gone too. */
    private static void forceGarbageCollection() {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        for (int round = 0; round < 20 && sentinel.get() != null; round++) {
            byte[][] garbage = new byte[64][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[64 * 1024];
            }
            System.gc();
        }
        assertThat(sentinel.get()).as("the GC ran and cleared weak references").isNull();
    }

    private static double value(String scrape, String name) {
        Matcher line = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        assertThat(line.find()).as(name + " in the scrape").isTrue();
        double value = Double.parseDouble(line.group(1));
        assertThat(value).as(name + " is a number").isNotNaN();
        return value;
    }
}
