package dev.switchboard.tools.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The lab's three kinds of chart, drawn alike: lines over steps, grouped bars, and a heatmap. */
final class Charts {

    private static final Color GRID = new Color(0xDDDDDD);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    /** Series colours (Tableau 10), the same series index in the same colour in every panel. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F),
            new Color(0xE15759), new Color(0x76B7B2), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
            new Color(0x9C755F), new Color(0xBAB0AC)};

    /** One line: y over x. */
    record Line(String name, double[] x, double[] y) {}

    /** One panel of lines sharing the x axis, with an optional horizontal reference line. */
    record LinePanel(String yLabel, List<Line> lines, Reference reference) {}

    /** One panel of bars: series × categories, with an optional horizontal reference line. */
    record BarPanel(String yLabel, DefaultCategoryDataset bars, Reference reference) {}

    /** A horizontal line at {@code value}, labelled. */
    record Reference(double value, String label) {}

    private Charts() {}

    /** Panels of lines stacked above one shared x axis; the legend names the lines of the first panel. */
    static JFreeChart lines(String title, String xLabel, List<LinePanel> panels) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis(xLabel));
        plot.setGap(12);
        for (LinePanel panel : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (Line line : panel.lines()) {
                XYSeries series = new XYSeries(line.name(), false, true);
                for (int i = 0; i < line.x().length; i++) {
                    series.add(line.x()[i], line.y()[i]);
                }
                data.addSeries(series);
            }
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int s = 0; s < panel.lines().size(); s++) {
                renderer.setSeriesStroke(s, new BasicStroke(2f));
                renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
            }
            NumberAxis range = new NumberAxis(panel.yLabel());
            range.setAutoRangeIncludesZero(false);
            if (counts(panel)) { // whole numbers (dead experts): whole ticks, and a visible axis when all are 0
                range.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                range.setAutoRangeMinimumSize(2);
            }
            XYPlot subplot = new XYPlot(data, null, range, renderer);
            style(subplot);
            if (panel.reference() != null) {
                subplot.addRangeMarker(marker(panel.reference()));
            }
            plot.add(subplot, 1);
        }
        plot.setFixedLegendItems(plot.getSubplots().get(0).getLegendItems()); // each line once, not once per panel
        return chart(title, plot);
    }

    /** Panels of grouped bars stacked above one shared category axis. */
    static JFreeChart bars(String title, String categoryLabel, List<BarPanel> panels) {
        CategoryAxis categories = new CategoryAxis(categoryLabel);
        categories.setCategoryMargin(0.15);
        if (panels.get(0).bars().getColumnCount() > 12) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        }
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(categories);
        plot.setGap(12);
        for (BarPanel panel : panels) {
            BarRenderer renderer = new BarRenderer();
            renderer.setBarPainter(new StandardBarPainter());
            renderer.setShadowVisible(false);
            renderer.setItemMargin(0.02);
            for (int s = 0; s < panel.bars().getRowCount(); s++) {
                renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
            }
            CategoryPlot subplot = new CategoryPlot(panel.bars(), null, new NumberAxis(panel.yLabel()), renderer);
            subplot.setBackgroundPaint(Color.WHITE);
            subplot.setRangeGridlinePaint(GRID);
            if (panel.reference() != null) {
                subplot.addRangeMarker(marker(panel.reference()));
            }
            plot.add(subplot, 1);
        }
        plot.setFixedLegendItems(((CategoryPlot) plot.getSubplots().get(0)).getLegendItems()); // each series once, not per panel
        return chart(title, plot);
    }

    /**
     * A heatmap of {@code values[row][column]} on a blue–white–red scale symmetric about 0 (blue below, red above),
     * with the row and column names on the axes.
     */
    static JFreeChart heatmap(String title, String columnLabel, List<String> columns, String rowLabel, List<String> rows,
            double[][] values, String scaleLabel) {
        int cells = rows.size() * columns.size();
        double[][] xyz = new double[3][cells];
        double largest = 1e-9;
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                int i = r * columns.size() + c;
                xyz[0][i] = c;
                xyz[1][i] = r;
                xyz[2][i] = values[r][c];
                largest = Math.max(largest, Math.abs(values[r][c]));
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(scaleLabel, xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        Diverging scale = new Diverging(largest);
        renderer.setPaintScale(scale);
        SymbolAxis x = new SymbolAxis(columnLabel, columns.toArray(String[]::new));
        SymbolAxis y = new SymbolAxis(rowLabel, rows.toArray(String[]::new));
        y.setInverted(true);
        y.setGridBandsVisible(false);
        x.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis legendAxis = new NumberAxis(scaleLabel);
        legendAxis.setRange(-largest, largest);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(18);
        chart.addSubtitle(legend);
        return chart;
    }

    private static boolean counts(LinePanel panel) {
        for (Line line : panel.lines()) {
            for (double y : line.y()) {
                if (y != Math.rint(y)) return false;
            }
        }
        return true;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
    }

    private static ValueMarker marker(Reference reference) {
        ValueMarker marker = new ValueMarker(reference.value(), Color.DARK_GRAY,
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        marker.setLabel(reference.label());
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        return marker;
    }

    private static JFreeChart chart(String title, Plot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Blue for negative values, white at 0, red for positive, saturating at ±{@code bound}. */
    private record Diverging(double bound) implements PaintScale {
        @Override
        public double getLowerBound() {
            return -bound;
        }

        @Override
        public double getUpperBound() {
            return bound;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.max(-1, Math.min(1, value / bound));
            int fade = (int) Math.round(255 * (1 - Math.abs(t)));
            return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
        }
    }
}
