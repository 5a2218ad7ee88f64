package io.otaedge.control.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import reactor.netty.http.server.HttpRouteHandlerMetadata;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The methods each registered path template answers, read back from the routes themselves (so the
 * {@code Allow} of a 405 cannot drift from the table): a known path asked with another method is a 405,
 * not a 404.
 */
final class AllowedMethods {

    private final Map<String, TreeSet<String>> byTemplate = new LinkedHashMap<>();

    /** Every route registered on {@code routes} so far that has a path and a method. */
    static AllowedMethods of(HttpServerRoutes routes) {
        AllowedMethods allowed = new AllowedMethods();
        // reactor-netty offers no getter for its table; removeIf visits each route's metadata (and removes none).
        routes.removeIf(meta -> {
            allowed.add(meta);
            return false;
        });
        return allowed;
    }

    /** A route registered by a predicate of our own (no metadata to read back): {@code method} on {@code template}. */
    AllowedMethods with(String template, String method) {
        byTemplate.computeIfAbsent(template, p -> new TreeSet<>()).add(method);
        return this;
    }

    private void add(HttpRouteHandlerMetadata meta) {
        if (meta.getPath() != null && meta.getMethod() != null) {
            byTemplate.computeIfAbsent(meta.getPath(), p -> new TreeSet<>()).add(meta.getMethod().name());
        }
    }

    /** The methods {@code path} answers, as an {@code Allow} value; empty when no template matches it. */
    String allow(String path) {
        TreeSet<String> methods = new TreeSet<>();
        List<String> segments = segments(path);
        byTemplate.forEach((template, m) -> {
            if (matches(segments(template), segments)) {
                methods.addAll(m);
            }
        });
        return String.join(", ", methods);
    }

    private static boolean matches(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            boolean variable = t.startsWith("{") && t.endsWith("}");
            if (variable ? path.get(i).isEmpty() : !t.equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return new ArrayList<>(List.of(p.split("/", -1)));
    }
}
