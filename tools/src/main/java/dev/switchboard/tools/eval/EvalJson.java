package dev.switchboard.tools.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code --json} output, one object:
 * {@code model}, {@code recipe}, {@code window}, {@code windows_per_domain}, {@code uniform_loss},
 * {@code held_out} ({@code nats_per_token} overall and {@code domains}: per domain {@code domain}, {@code windows},
 * {@code tokens}, {@code nats_per_token}, {@code bits_per_byte}, and {@code layers} with that domain's routing),
 * and {@code layers}: the routing of all evaluated tokens per layer ({@code load}, {@code first_choice},
 * {@code importance}, {@code balance} with the statistics API's gauge names, {@code consecutive} with the random
 * baselines, {@code top_tokens} per expert).
 */
final class EvalJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EvalJson() {}

    static String render(EvalReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", report.model());
        json.put("recipe", report.recipe());
        json.put("window", report.window());
        json.put("windows_per_domain", report.windowsPerDomain());
        json.put("uniform_loss", report.uniformLoss());
        Map<String, Object> heldOut = new LinkedHashMap<>();
        heldOut.put("nats_per_token", report.natsPerToken());
        List<Object> domains = new ArrayList<>();
        for (EvalReport.DomainResult result : report.domains()) {
            DomainLoss loss = result.loss();
            Map<String, Object> domain = new LinkedHashMap<>();
            domain.put("domain", loss.domain());
            domain.put("windows", loss.windows());
            domain.put("tokens", loss.positions());
            domain.put("nats_per_token", loss.natsPerToken());
            domain.put("bits_per_byte", loss.bitsPerByte());
            domain.put("layers", result.layers().stream().map(EvalJson::layer).toList());
            domains.add(domain);
        }
        heldOut.put("domains", domains);
        json.put("held_out", heldOut);
        json.put("layers", report.layers().stream().map(EvalJson::layer).toList());
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
