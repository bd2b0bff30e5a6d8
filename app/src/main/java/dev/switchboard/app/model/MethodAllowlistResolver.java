package dev.switchboard.app.model;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;

/**
 * Jinjava's expression resolver with method calls limited to {@link #ALLOWED}: the Python string, list and dict
 * helpers Hugging Face chat templates call (with their Java spellings where Jinjava maps onto Java types).
 * Jinjava's own objects (filters, its Python-style collections) stay callable. Anything else, e.g.
 * {@code 'x'.repeat(1000000000)} or {@code getClass()}, fails the render.
 */
final class MethodAllowlistResolver extends ELResolver {

    static final Set<String> ALLOWED = Set.of(
            "strip", "lstrip", "rstrip", "trim", "split", "startswith", "endswith", "startsWith", "endsWith",
            "upper", "lower", "title", "capitalize", "replace", "count", "find", "index", "isEmpty", "length",
            "items", "keys", "values", "get", "append", "size", "contains", "join");

    private final ELResolver delegate;

    MethodAllowlistResolver(ELResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base != null && !isJinjavaOwn(base) && !ALLOWED.contains(String.valueOf(method))) {
            throw new MethodNotFoundException("chat templates may not call '" + method + "'");
        }
        return delegate.invoke(context, base, method, paramTypes, params);
    }

    /** Jinjava's own objects (filters, tests, its Python-style list and dict) are called by the engine itself. */
    private static boolean isJinjavaOwn(Object base) {
        return base.getClass().getName().startsWith("com.hubspot.jinjava.");
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return delegate.getValue(context, base, property);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return delegate.isReadOnly(context, base, property);
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        delegate.setValue(context, base, property, value);
    }
}
