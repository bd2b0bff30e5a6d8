import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decode steps of several builds in one JVM: each build's runtime classes (and its {@link StepBench}) in its own class
 * loader over one shared DJL engine, measured in turn (who goes first rotates every round), so load on a shared
 * machine hits every build alike. Prints each build's median step per batch size and its per-round ratio to the first.
 *
 * <p>Arguments: CHECKPOINT BATCHES PROMPT_TOKENS STEPS ROUNDS LABEL=CLASSPATH... (see run.sh).
 */
public class Interleave {
    public static void main(String[] a) throws Exception {
        String dir = a[0];
        int[] batches = Arrays.stream(a[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int prompt = Integer.parseInt(a[2]), steps = Integer.parseInt(a[3]), rounds = Integer.parseInt(a[4]);
        List<String> labels = new ArrayList<>();
        List<Method> medians = new ArrayList<>();
        List<Object> models = new ArrayList<>();
        for (int v = 5; v < a.length; v++) {
            String[] kv = a[v].split("=", 2);
            List<URL> urls = new ArrayList<>();
            for (String p : kv[1].split(":")) urls.add(new File(p).toURI().toURL());
            URLClassLoader loader = new URLClassLoader(kv[0], urls.toArray(URL[]::new), Interleave.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> bench = loader.loadClass("StepBench");
            AutoCloseable[] opened = (AutoCloseable[]) bench.getMethod("open", String.class).invoke(null, dir);
            labels.add(kv[0]);
            models.add(opened[1]);
            medians.add(bench.getMethod("median", Object.class, int.class, int.class, int.class, long.class));
        }
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int batch : batches) {
                for (int i = 0; i < labels.size(); i++) {
                    int v = (i + r) % labels.size(); // swap who goes first every round
                    Thread.currentThread().setContextClassLoader(models.get(v).getClass().getClassLoader());
                    double ns = (double) medians.get(v).invoke(null, models.get(v), batch, prompt, steps, 11L + r);
                    results.computeIfAbsent(labels.get(v) + " batch " + batch, k -> new ArrayList<>()).add(ns / 1e6);
                }
            }
            System.out.printf(Locale.ROOT, "round %d done, load %s%n", r, new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
        }
        for (int batch : batches) {
            for (String label : labels) {
                List<Double> ms = results.get(label + " batch " + batch);
                List<Double> sorted = new ArrayList<>(ms); Collections.sort(sorted);
                System.out.printf(Locale.ROOT, "%-10s batch %2d: median of rounds %.2f ms; rounds %s%n", label, batch,
                        sorted.get(sorted.size() / 2), ms.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
            }
            // per-round ratio against the first label
            List<Double> base = results.get(labels.get(0) + " batch " + batch);
            for (String label : labels.subList(1, labels.size())) {
                List<Double> ms = results.get(label + " batch " + batch);
                List<Double> ratios = new ArrayList<>();
                for (int r = 0; r < ms.size(); r++) ratios.add(ms.get(r) / base.get(r));
                List<Double> sorted = new ArrayList<>(ratios); Collections.sort(sorted);
                System.out.printf(Locale.ROOT, "  %s / %s at batch %d: median ratio %.2f; per round %s%n", label, labels.get(0), batch,
                        sorted.get(sorted.size() / 2), ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
            }
        }
        System.exit(0);
    }
}
