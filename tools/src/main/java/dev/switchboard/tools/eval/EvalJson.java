package dev.switchboard.tools.eval;

import dev.switchboard.runtime.serving.HeldOutReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code --json} output, one object:
 * {@code model}, {@code recipe}, {@code window}, {@code windows_per_domain}, {@code measured_at}, {@code uniform_loss},
 * {@code held_out} ({@code nats_per_token} overall and {@code domains}: per domain {@code domain}, {@code windows},
 * {@code tokens}, {@code nats_per_token}, {@code bits_per_byte}, and {@code layers} with that domain's routing),
 * and {@code layers}: the routing of all evaluated tokens per layer ({@code load}, {@code first_choice},
 * {@code importance}, {@code balance} with the statistics API's gauge names, {@code consecutive} with the random
 * baselines, {@code top_tokens} per expert). The fields a server shows are {@link HeldOutReport}'s, written from it.
 */
final class EvalJson {

    // snake_case: the names of HeldOutReport's fields in the file, which a server reads back into that record.
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private EvalJson() {}

    static String render(EvalReport report, Instant measuredAt) {
        List<HeldOutReport.HeldOutDomain> losses = report.domains().stream().map(EvalReport.DomainResult::loss)
                .map(loss -> new HeldOutReport.HeldOutDomain(loss.domain(), loss.windows(), loss.positions(), loss.natsPerToken(),
                        loss.bitsPerByte()))
                .toList();
        ObjectNode json = JSON.valueToTree(new HeldOutReport(report.model(), report.recipe(), report.window(),
                report.windowsPerDomain(), measuredAt, new HeldOutReport.HeldOutLosses(report.natsPerToken(), losses)));
        json.put("uniform_loss", report.uniformLoss());
        JsonNode domains = json.get("held_out").get("domains");
        for (int d = 0; d < report.domains().size(); d++) {
            ((ObjectNode) domains.get(d)).set("layers",
                    JSON.valueToTree(report.domains().get(d).layers().stream().map(EvalJson::layer).toList()));
        }
        json.set("layers", JSON.valueToTree(report.layers().stream().map(EvalJson::layer).toList()));
        return JSON.writeValueAsString(json);
    }
    private static Map<String, Object> layer(LayerReport layer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("layer", layer.layer());
        json.put("num_experts", layer.numExperts());
        json.put("top_k", layer.topK());
        json.put("tokens", layer.tokens());
        json.put("load", layer.load());
        json.put("first_choice", layer.firstChoice());
        json.put("importance", layer.importance());
        LayerReport.Balance b = layer.balance();
        Map<String, Object> balance = new LinkedHashMap<>();
        balance.put("cvLoad", b.cvLoad());
        balance.put("cvImportance", b.cvImportance());
        balance.put("maxMeanLoad", b.maxMeanLoad());
        balance.put("maxVio", b.maxVio());
        balance.put("jainIndex", b.jainIndex());
        balance.put("deadExpertFraction", b.deadExpertFraction());
        balance.put("loadDiversity", b.loadDiversity());
        balance.put("routerPerplexityRatio", b.routerPerplexityRatio());
        balance.put("dropRate", b.dropRate());
        balance.put("auxLoss", b.auxLoss());
        balance.put("zLoss", b.zLoss());
        json.put("balance", balance);
        LayerReport.Consecutive c = layer.consecutive();
        Map<String, Object> consecutive = new LinkedHashMap<>();
        consecutive.put("pairs", c.pairs());
        consecutive.put("sameFirstRate", c.sameFirstRate());
        consecutive.put("firstOrSecondRate", c.firstOrSecondRate());
        consecutive.put("randomSameFirstRate", c.randomSameFirstRate());
        consecutive.put("randomFirstOrSecondRate", c.randomFirstOrSecondRate());
        json.put("consecutive", consecutive);
        if (!layer.topTokens().isEmpty()) {
            json.put("top_tokens", layer.topTokens().stream()
                    .map(tokens -> tokens.stream().map(EvalJson::tokenCount).toList())
                    .toList());
        }
        return json;
    }

    private static Map<String, Object> tokenCount(LayerReport.TokenCount count) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token", count.token());
        json.put("count", count.count());
        return json;
    }
}
