package dev.switchboard.tools.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of chart the lab draws becomes a PNG that decodes, at the size asked, with something drawn on it. */
class ChartFileTest {

    @TempDir
    Path directory;

    @Test
    void linesBarsAndHeatmapsBecomeDecodablePngsOfTheRequestedSize() throws Exception {
        Charts.LinePanel panel = new Charts.LinePanel("loss", List.of(new Charts.Line("run", new double[] {1, 2, 3},
                new double[] {3, 2, 1.5})), new Charts.Reference(1, "floor"));
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        bars.addValue(0.25, "prose", "expert 0");
        bars.addValue(0.75, "code", "expert 0");
        check(Charts.lines("lines", "step", List.of(panel, panel)), "lines.png", 640, 480);
        check(Charts.bars("bars", "expert", List.of(new Charts.BarPanel("share", bars, null))), "bars.png", 300, 200);
        check(Charts.heatmap("heat", "domain", List.of("prose", "code"), "expert", List.of("e0", "e1"),
                new double[][] {{0.5, -0.25}, {0, 1}}, "change"), "heat.png", 500, 700);
    }

    private void check(JFreeChart chart, String name, int width, int height) throws Exception {
        Path file = directory.resolve(name);
        ChartFile.writePng(chart, file, width, height);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(name + " decodes as an image").isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat(colours(image)).as(name + " has more than a blank background").isGreaterThan(3);
    }

    private static long colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
