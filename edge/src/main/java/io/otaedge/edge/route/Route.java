package io.otaedge.edge.route;

/**
 * Where a request line points: the two download paths, LuatOS' path when configured, and, when the
 * edge fronts OneNET's device API, that API's listed paths ({@link Kind#DEVICE_API}); everything
 * else is 404. Absolute-form targets ({@code http://host/ota/download/…}) are accepted as well, since
 * some cellular modules send them even without a proxy.
 *
 * @param kind  which download dialect, {@link Kind#DEVICE_API}, or {@link Kind#NONE}
 * @param token the raw last path segment (not yet validated); for {@link Kind#DEVICE_API} the path
 * @param query the query string without {@code ?}, or empty
 */
public record Route(Kind kind, String token, String query) {

    static final String STANDARD_PREFIX = "/ota/download/";
    static final String ONENET_PREFIX = "/ota/south/download/";

    private static final Route NONE = new Route(Kind.NONE, "", "");

    public enum Kind { STANDARD, ONENET, LUATOS, DEVICE_API, NONE }

    /**
     * OneNET's device-API paths other than the download, which OneNET devices call on the one host
     * they are configured with: the check, the report, the version report, and, under a token, the
     * token check and the progress. Only these are forwarded to control; nothing else is.
     */
    static final String[] DEVICE_API_PATHS = {"/ota/south/check", "/ota/south/report", "/ota/device/version"};
    static final String TOKEN_CHECK_SUFFIX = "/check";
    static final String PROGRESS_PREFIX = "/ota/south/device/download/";
    static final String PROGRESS_SUFFIX = "/progress";

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
        return parse(uri, luatosPath, false);
    }

    /** As {@link #parse(String, String)}, plus OneNET's device-API paths when {@code deviceApi}. */
    public static Route parse(String uri, String luatosPath, boolean deviceApi) {
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
            String token = uri.substring(start + ONENET_PREFIX.length(), end);
            if (deviceApi && isTokenCall(token, TOKEN_CHECK_SUFFIX)) {
                return new Route(Kind.DEVICE_API, uri.substring(start, end), query);
            }
            return new Route(Kind.ONENET, token, query);
        }
        if (luatosPath != null && uri.startsWith(luatosPath, start)) {
            int from = start + luatosPath.length();
            while (from < uri.length() && (uri.charAt(from) == '?' || uri.charAt(from) == '&')) {
                from++;
            }
            int stop = hash >= from ? hash : uri.length();
            return new Route(Kind.LUATOS, "", uri.substring(Math.min(from, stop), stop));
        }
        if (deviceApi && isDeviceApiPath(uri.substring(start, end))) {
            return new Route(Kind.DEVICE_API, uri.substring(start, end), query);
        }
        return NONE;
    }

    /** Whether the request target names one of OneNET's forwarded device-API paths. */
    public static boolean isDeviceApi(String uri) {
        return parse(uri, null, true).kind() == Kind.DEVICE_API;
    }

    private static boolean isDeviceApiPath(String path) {
        for (String p : DEVICE_API_PATHS) {
            if (p.equals(path)) {
                return true;
            }
        }
        return path.startsWith(PROGRESS_PREFIX)
                && isTokenCall(path.substring(PROGRESS_PREFIX.length()), PROGRESS_SUFFIX);
    }

    /** {@code <one non-empty segment><suffix>}, e.g. {@code ota_abc/check}. */
    private static boolean isTokenCall(String rest, String suffix) {
        int slash = rest.indexOf('/');
        return slash > 0 && slash == rest.length() - suffix.length() && rest.endsWith(suffix);
    }
}
