package dev.groundwork.it;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts the write requests (create, update, patch, delete) a client sends, status included. Server-side dry runs
 * (dryRun=All: the API server stores nothing) are not writes; they are listed apart, with their query.
 */
public final class WriteCounter implements Interceptor {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final List<String> dryRuns = new CopyOnWriteArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (WRITES.contains(request.method())) {
            String query = request.uri().getQuery();
            if (query != null && query.contains("dryRun=All")) {
                dryRuns.add(request.method() + " " + request.uri().getPath() + "?" + query);
            } else {
                writes.add(request.method() + " " + request.uri().getPath());
            }
        }
    }

    public List<String> writes() {
        return List.copyOf(writes);
    }

    public List<String> writesSince(int mark) {
        List<String> all = writes();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Writes since the mark whose path mentions the fragment (a product or namespace name). */
    public List<String> writesSince(int mark, String fragment) {
        return writesSince(mark).stream().filter(w -> w.contains(fragment)).toList();
    }

    /** The dry-run requests sent so far whose path mentions the fragment. */
    public List<String> dryRuns(String fragment) {
        return dryRuns.stream().filter(w -> w.contains(fragment)).toList();
    }

    public int mark() {
        return writes.size();
    }
}
