package dev.switchboard.runtime.checkpoint;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases direct and mapped buffers at once rather than at some later garbage collection, through
 * {@code sun.misc.Unsafe.invokeCleaner} (the JDK 9+ way before Java 22's FFM arenas). Where that is
 * unavailable the GC releases them as usual.
 */
final class DirectBuffers {

    private static final Logger log = LoggerFactory.getLogger(DirectBuffers.class);
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method method = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            method = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("sun.misc.Unsafe.invokeCleaner unavailable; direct buffers are released by the GC", e);
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = method;
    }

    private DirectBuffers() {}

    /**
     * Frees {@code buffer} (a direct or mapped buffer that is not a slice or duplicate). The caller must
     * guarantee nothing reads it afterwards: touching freed memory crashes the JVM.
     */
    static void free(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || !buffer.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("could not free a direct buffer early; the GC will release it", e);
        }
    }
}
