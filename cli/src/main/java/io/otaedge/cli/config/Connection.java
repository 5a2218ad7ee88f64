package io.otaedge.cli.config;

import io.otaedge.cli.CliFailure;
import java.net.URI;
import java.util.Map;

/**
 * Where the admin calls go and with which key, chosen per value: a flag ({@code --url}, {@code --key}),
 * else a profile named with {@code --profile}, else the environment ({@code OTACTL_URL}, {@code OTACTL_KEY}),
 * else the current profile.
 */
public record Connection(URI baseUrl, String key) {

    public static Connection resolve(String flagUrl, String flagKey, String profileName, Map<String, String> env,
                                     Profiles profiles) {
        Profile named = profileName == null ? null : profiles.require(profileName);
        Profile current = profiles.current().orElse(null);
        String url = first(flagUrl, named == null ? null : named.url(), env.get("OTACTL_URL"),
                current == null ? null : current.url());
        String key = first(flagKey, named == null ? null : named.key(), env.get("OTACTL_KEY"),
                current == null ? null : current.key());
        if (url == null) {
            throw CliFailure.usage("no admin URL: add a profile (otactl profile add NAME --url URL --key-file FILE), "
                    + "or give --url or OTACTL_URL");
        }
        if (key == null) {
            throw CliFailure.usage("no admin key: add a profile (otactl profile add NAME --url URL --key-file FILE), "
                    + "or give --key or OTACTL_KEY");
        }
        return new Connection(baseUrl(url), key);
    }

    /** An http(s) URL with a host; a trailing slash is dropped so paths append cleanly. */
    public static URI baseUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("not a URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw CliFailure.usage("not an http(s) URL with a host: " + url + " (e.g. http://127.0.0.1:8082)");
        }
        return uri;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
