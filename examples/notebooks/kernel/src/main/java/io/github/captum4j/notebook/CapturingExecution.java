package io.github.captum4j.notebook;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JShell execution in the kernel's own JVM that keeps each snippet's value as an object (JShell
 * itself only returns its text), so that the kernel can show a {@code BufferedImage} as a picture.
 * The value's key is returned as the snippet's value text.
 */
final class CapturingExecution implements ExecutionControlProvider {

    static final String KEY_PREFIX = "captum4j-value:";

    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    /** Takes the value stored under a snippet's value text, or null if it holds none. */
    static Object take(String valueText) {
        if (valueText == null || !valueText.startsWith(KEY_PREFIX)) {
            return null;
        }
        return VALUES.remove(valueText);
    }

    @Override
    public String name() {
        return "captum4j-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new LocalExecutionControl() {
            @Override
            protected String invoke(Method doitMethod) throws Exception {
                Object value = doitMethod.invoke(null);
                if (value == null) {
                    return "null";
                }
                String key = KEY_PREFIX + NEXT.incrementAndGet();
                VALUES.put(key, value);
                return key;
            }
        };
    }
}
