package io.github.captum4j.insights;

import com.google.gson.JsonObject;

import io.github.captum4j.core.ProgressListener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The progress of one Insights request, as its listener last reported it, for {@code GET
 * /api/progress}. Not API.
 */
final class RequestProgress implements ProgressListener {
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicReference<String> task = new AtomicReference<>("queued");

    @Override
    public void onProgress(String what, long doneSoFar, long all) {
        task.set(what);
        total.set(all);
        done.set(doneSoFar);
    }

    String json() {
        JsonObject o = new JsonObject();
        o.addProperty("task", task.get());
        o.addProperty("done", done.get());
        o.addProperty("total", total.get());
        return o.toString();
    }
}
