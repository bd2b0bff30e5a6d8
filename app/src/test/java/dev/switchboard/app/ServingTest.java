package dev.switchboard.app;

import dev.switchboard.app.model.ControlledModelConfiguration;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;

/**
 * The one Spring context the serving tests share (the machine has 2 cores: one context, one embedded
 * PostgreSQL): the committed tiny Mixtral fixture behind {@link ControlledModelConfiguration}, an inference
 * key and an admin token, and small admission limits so overload is cheap to provoke.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = SwitchboardApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "switchboard.data-dir=target/test-data/serving",
            "switchboard.model=" + ServingTest.FIXTURE,
            "switchboard.plugins-dir=" + ServingTest.PLUGINS,
            "switchboard.security.admin-token=" + ServingTest.ADMIN_TOKEN,
            // SHA-256 of "test-inference-key"
            "switchboard.security.api-key-sha256=" + ServingTest.API_KEY_SHA256,
            "switchboard.serving.max-running=2",
            "switchboard.serving.max-queued=2",
            "switchboard.serving.max-queue-wait=2s",
            "switchboard.serving.request-timeout=4s",
            "switchboard.serving.keep-alive=150ms",
            "switchboard.serving.drain-timeout=2s",
            "switchboard.serving.default-max-tokens=64",
            "spring.http.codecs.max-in-memory-size=64KB",
            "server.netty.idle-timeout=" + ServingTest.IDLE_TIMEOUT_MILLIS + "ms",
            "switchboard.connections.header-read-timeout=" + ServingTest.HEADER_READ_TIMEOUT_MILLIS + "ms"
        })
@AutoConfigureWebTestClient
@Import(ControlledModelConfiguration.class)
public @interface ServingTest {

    /** The committed 2-layer, 4-expert, top-2 fixture, relative to the app module (Maven's working directory). */
    String FIXTURE = "../router-service/src/test/resources/fixtures/tiny-gqa-top2";
    String MODEL = "tiny-gqa-top2";
    String API_KEY = "test-inference-key";
    String API_KEY_SHA256 = "5e8f80c7c258c9a7bcbe2cf24265b92aa66937b76afac044d0b38e96a9627e00";
    String ADMIN_TOKEN = "test-admin-token";
    /** Short connection timeouts, so that closing idle and slow connections is quick to observe. */
    long IDLE_TIMEOUT_MILLIS = 2000;
    long HEADER_READ_TIMEOUT_MILLIS = 1500;
    /** The watched plugins folder, relative to the app module. */
    String PLUGINS = "target/test-plugins/serving";
}
