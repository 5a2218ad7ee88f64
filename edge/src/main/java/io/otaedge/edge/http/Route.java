package io.otaedge.edge.http;

/**
 * Where a request line points. Only two paths exist on the edge; everything else is 404.
 * Absolute-form targets ({@code http://host/ota/download/…}) are accepted as well, since some
 * cellular modules send them even without a proxy.
 *
 * @param kind  which download dialect, or {@link Kind#NONE}
 * @param token the raw last path segment (not yet validated)
 * @param query the query string without {@code ?}, or empty
 */
public record Route(Kind kind, String token, String query) {

    static final String STANDARD_PREFIX = "/ota/download/";
    static final String ONENET_PREFIX = "/ota/south/download/";

    private static final Route NONE = new Route(Kind.NONE, "", "");

    public enum Kind { STANDARD, ONENET, LUATOS, NONE }

    /** LuatOS' default path; deployments may configure another ({@code OTA_EDGE_LUATOS_PATH}). */
    public static final String LUATOS_PATH = "/api/site/firmware_upgrade";

    public static Route parse(String uri) {
        return parse(uri, null);
    }

    /**
     * As {@link #parse(String)}, plus LuatOS' {@code luatosPath} (null = off). libfota2 appends its
     * parameters straight to the configured URL, so whatever follows the path (after an optional
     * {@code ?} or {@code &}) is the query, with or without a {@code ?}; the token stays empty.
     */
    public static Route parse(String uri, String luatosPath) {
        int start = 0;
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            if (slash < 0) {
                return NONE;
            }
            start = slash;
        }
        int q = uri.indexOf('?', start);
        int end = q < 0 ? uri.length() : q;
        int hash = uri.indexOf('#', start);
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        String query = q < 0 ? "" : uri.substring(q + 1, hash > q ? hash : uri.length());
        if (uri.startsWith(STANDARD_PREFIX, start)) {
            return new Route(Kind.STANDARD, uri.substring(start + STANDARD_PREFIX.length(), end), query);
        }
        if (uri.startsWith(ONENET_PREFIX, start)) {
            return new Route(Kind.ONENET, uri.substring(start + ONENET_PREFIX.length(), end), query);
        }
        if (luatosPath != null && uri.startsWith(luatosPath, start)) {
            int from = start + luatosPath.length();
            while (from < uri.length() && (uri.charAt(from) == '?' || uri.charAt(from) == '&')) {
                from++;
            }
            int stop = hash >= from ? hash : uri.length();
            return new Route(Kind.LUATOS, "", uri.substring(Math.min(from, stop), stop));
        }
        return NONE;
    }
}
