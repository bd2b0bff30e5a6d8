package dev.switchboard.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A row-major matrix {@code [rows, columns]} in native memory that the kernels read row by row: float32, or int8
 * with a scale per row (applied to dot products) or per column (applied by {@link #finish} after the additions).
 * The buffer is not copied: its owner keeps the memory alive while the matrix is in use.
 */
public abstract sealed class WeightRows permits WeightRows.Float32, WeightRows.Int8 {

    final ByteBuffer data;
    final int rows;
    final int columns;

    private WeightRows(ByteBuffer data, int rows, int columns, int bytesPerValue) {
        if ((long) rows * columns * bytesPerValue > data.capacity()) {
            throw new IllegalArgumentException("a " + rows + " x " + columns + " matrix needs "
                    + (long) rows * columns * bytesPerValue + " bytes, the buffer has " + data.capacity());
        }
        this.data = data.duplicate().order(ByteOrder.nativeOrder());
        this.rows = rows;
        this.columns = columns;
    }

    /** float32 values in native byte order. */
    public static WeightRows float32(ByteBuffer data, int rows, int columns) {
        return new Float32(data, rows, columns);
    }

    /**
     * int8 values; {@code rowScales} (length rows) multiply each row's dot product, {@code columnScales} (length
     * columns) multiply the sums {@link #axpy} built; either may be {@code null} for none.
     */
    public static WeightRows int8(ByteBuffer data, int rows, int columns, float[] rowScales, float[] columnScales) {
        return new Int8(data, rows, columns, rowScales, columnScales);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** {@code row · x[xOffset, xOffset + columns)}. */
    public abstract float dot(int row, float[] x, int xOffset);

    /**
     * {@link #dot} of row {@code row} with four vectors {@code x[xOffset + k·xStride, ..)} into
     * {@code out[outOffset + k·outStride]}, {@code k} in {@code [0, 4)}.
     */
    public void dot4(int row, float[] x, int xOffset, int xStride, float[] out, int outOffset, int outStride) {
        for (int k = 0; k < 4; k++) {
            out[outOffset + k * outStride] = dot(row, x, xOffset + k * xStride);
        }
    }

    /** {@code y[yOffset, yOffset + columns) += a · row}. */
    public abstract void axpy(int row, float a, float[] y, int yOffset);

    /** Applies what {@link #axpy} left out (int8 column scales) to {@code y[yOffset, yOffset + columns)}. */
    public void finish(float[] y, int yOffset) {}

    static final class Float32 extends WeightRows {
        private Float32(ByteBuffer data, int rows, int columns) {
            super(data, rows, columns, Float.BYTES);
        }

        @Override
        public float dot(int row, float[] x, int xOffset) {
            return VectorKernels.dot(data, row * columns * Float.BYTES, x, xOffset, columns);
        }

        /**
         * {@link SimdRows#combine4} over rows {@code [rowFrom, rowTo)}: four tokens, whose coefficients for those rows
         * are {@code x[xOffset + k·xStride, +rowTo - rowFrom)}, times the columns {@code [c0, c0 + 4·lanes)}.
         */
        void combine4(int rowFrom, int rowTo, int c0, float[] x, int xOffset, int xStride, float[] y, int yOffset) {
            SimdRows.combine4(data, rowFrom, rowTo, columns, c0, x, xOffset, xStride, y, yOffset, columns);
        }

        @Override
        public void dot4(int row, float[] x, int xOffset, int xStride, float[] out, int outOffset, int outStride) {
            VectorKernels.dot4(data, row * columns * Float.BYTES, x, xOffset, xStride, columns, out, outOffset, outStride);
        }

        @Override
        public void axpy(int row, float a, float[] y, int yOffset) {
            VectorKernels.axpy(a, data, row * columns * Float.BYTES, y, yOffset, columns);
        }
    }

    static final class Int8 extends WeightRows {
        private final float[] rowScales;
        private final float[] columnScales;

        private Int8(ByteBuffer data, int rows, int columns, float[] rowScales, float[] columnScales) {
            super(data, rows, columns, Byte.BYTES);
            if (rowScales != null && rowScales.length != rows || columnScales != null && columnScales.length != columns) {
                throw new IllegalArgumentException("int8 scales must have one entry per row / column");
            }
            this.rowScales = rowScales == null ? null : rowScales.clone();
            this.columnScales = columnScales == null ? null : columnScales.clone();
        }

        @Override
        public float dot(int row, float[] x, int xOffset) {
            float sum = VectorKernels.dotInt8(data, row * columns, x, xOffset, columns);
            return rowScales == null ? sum : sum * rowScales[row];
        }

        @Override
        public void axpy(int row, float a, float[] y, int yOffset) {
            VectorKernels.axpyInt8(rowScales == null ? a : a * rowScales[row], data, row * columns, y, yOffset, columns);
        }

        @Override
        public void finish(float[] y, int yOffset) {
            if (columnScales != null) {
                for (int i = 0; i < columns; i++) {
                    y[yOffset + i] *= columnScales[i];
                }
            }
        }
    }
}
