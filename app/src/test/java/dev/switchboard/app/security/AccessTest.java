package dev.switchboard.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/** Deny by default, inference keys, the admin token, public probes, CORS closed (unknown paths: UnknownRouteTest). */
class AccessTest extends ServingTestBase {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyMappedRouteExceptThePublicOnesNeedsCredentials() {
        List<String> checked = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            for (var pattern : info.getPatternsCondition().getPatterns()) {
                String path = pattern.getPatternString().replaceAll("\\{[^}]+}", "x").replace("/**", "/x");
                var methods = info.getMethodsCondition().getMethods();
                HttpMethod http = methods.isEmpty() ? HttpMethod.GET : HttpMethod.valueOf(methods.iterator().next().name());
                if (path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
                    continue; // public by design: the API description
                }
                anonymous.method(http).uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                        .expectStatus().isUnauthorized()
                        .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                        .expectBody().jsonPath("$.error.type").isEqualTo("authentication_error");
                checked.add(http + " " + path);
            }
        });
        assertThat(checked).contains("POST /v1/chat/completions", "POST /v1/completions", "GET /v1/models",
                "GET /v1/models/x", "POST /api/route");
    }

    @Test
    void adminRoutesAndActuatorAreDenied() {
        for (String path : List.of("/api/admin/plugins", "/actuator/prometheus", "/actuator/metrics", "/api/admin/anything")) {
            anonymous.get().uri(path).exchange().expectStatus().isUnauthorized();
        }
        web.get().uri("/actuator/metrics").exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error.type").isEqualTo("permission_error");
    }

    @Test
    void inferenceKeyOpensInferenceButNotAdmin() {
        web.get().uri("/v1/models").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data[0].id").isEqualTo(ServingTest.MODEL);
        anonymous.get().uri("/v1/models").header("X-Api-Key", ServingTest.API_KEY).exchange().expectStatus().isOk();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isForbidden();
        web.get().uri("/api/admin/anything").exchange().expectStatus().isForbidden();
    }

    @Test
    void wrongKeyIs401AndAdminTokenOpensEverything() {
        anonymous.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer sk-wrong").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.code").isEqualTo("invalid_api_key");
        anonymous.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk();
        anonymous.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk();
    }

    @Test
    void healthProbesAndApiDocsArePublic() {
        anonymous.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        anonymous.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        // The first /v3/api-docs builds the document, which takes seconds on a busy machine.
        anonymous.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/v1/chat/completions']").exists();
    }

    @Test
    void corsIsClosedUnlessConfigured() {
        web.get().uri("/v1/models").header(HttpHeaders.ORIGIN, "https://evil.example").exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        anonymous.options().uri("/v1/chat/completions").header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST").exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }
}
