package dev.switchboard.tools.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes a chart as a PNG file, drawn without a display. */
final class ChartFile {

    static {
        // The lab draws into images only; a machine without a display must not try to open one.
        System.setProperty("java.awt.headless", "true");
    }

    private ChartFile() {}

    static void writePng(JFreeChart chart, Path file, int width, int height) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the chart", e);
        }
    }
}
