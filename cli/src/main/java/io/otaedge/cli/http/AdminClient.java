package io.otaedge.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otaedge.cli.CliFailure;
import io.otaedge.cli.ExitCodes;
import io.otaedge.cli.config.Connection;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongConsumer;

/**
 * The admin API over HTTP/1.1 with the bearer key. Every answer is JSON; every failure becomes a
 * {@link CliFailure} of one line: the server's own {@code {"error","message"}} for a refusal, what went
 * wrong on the way otherwise.
 */
public final class AdminClient {

    private final ObjectMapper json;
    private final HttpClient http;
    private final Connection connection;
    private final Duration timeout;

    public AdminClient(Connection connection, Duration timeout, ObjectMapper json) {
        this.connection = connection;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code /admin/v1/<segments…>}, each segment percent-encoded. */
    public static String path(String... segments) {
        StringBuilder p = new StringBuilder("/admin/v1");
        for (String s : segments) {
            p.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return p.toString();
    }

    /** {@code ?a=b&c=d} of the non-null values, in order; empty when none. */
    public static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    public static Map<String, Object> params() {
        return new LinkedHashMap<>();
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode post(String path, JsonNode body) {
        return send(withJson(request(path), "POST", body));
    }

    public JsonNode put(String path, JsonNode body) {
        return send(withJson(request(path), "PUT", body));
    }

    /** A JSON merge patch (RFC 7396). */
    public JsonNode patch(String path, JsonNode body) {
        return send(withJson(request(path), "PATCH", body));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * Sends {@code file} as the raw body of a POST (no request timeout: a slow link's large upload goes on
     * as long as it moves), reporting bytes sent to {@code sent}. The answer and the digests of what was sent.
     */
    public Uploaded upload(String path, Path file, LongConsumer sent) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CliFailure.usage("cannot read " + file + ": not a readable file");
        }
        FileUpload body;
        try {
            body = new FileUpload(file, sent);
        } catch (FileNotFoundException e) {
            throw CliFailure.usage("cannot read " + file + ": " + e.getMessage());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + connection.key())
                .header("Content-Type", "application/octet-stream")
                .POST(body);
        JsonNode answer = send(b);
        return new Uploaded(answer, body.digests().finish());
    }

    public record Uploaded(JsonNode answer, Digests.Hex sent) {
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Authorization", "Bearer " + connection.key())
                .header("Accept", "application/json");
    }

    private HttpRequest.Builder withJson(HttpRequest.Builder b, String method, JsonNode body) {
        try {
            return b.header("Content-Type", "application/json").method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private URI uri(String path) {
        return URI.create(connection.baseUrl() + path);
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw CliFailure.failed("cannot reach " + connection.baseUrl() + ": no connection within " + seconds());
        } catch (HttpTimeoutException e) {
            throw CliFailure.failed("no answer from " + connection.baseUrl() + " within " + seconds());
        } catch (ConnectException e) {
            throw CliFailure.failed("cannot reach " + connection.baseUrl() + ": connection refused");
        } catch (IOException e) {
            throw CliFailure.failed("cannot reach " + connection.baseUrl() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.failed("interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(request, response);
        }
        throw refusal(request, response);
    }

    private JsonNode parse(HttpRequest request, HttpResponse<byte[]> response) {
        if (response.body().length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw CliFailure.failed(request.method() + " " + request.uri().getPath() + ": the answer ("
                    + response.statusCode() + ") is not JSON");
        }
    }

    /** One line from the server's error body; 4xx is a refusal (1), anything else a failure (3). */
    private CliFailure refusal(HttpRequest request, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String code = null;
        String message = null;
        try {
            JsonNode body = json.readTree(response.body());
            if (body != null && body.isObject()) {
                code = body.path("error").asText(null);
                message = body.path("message").asText(null);
            }
        } catch (IOException e) {
            // not JSON: a proxy's page, say; the status line says enough
        }
        StringBuilder line = new StringBuilder();
        line.append(message != null ? message : code != null ? code
                : request.method() + " " + request.uri().getPath() + " failed");
        line.append(" (HTTP ").append(status);
        if (code != null && message != null) {
            line.append(' ').append(code);
        }
        line.append(')');
        if (status == 401) {
            line.append("; check the admin key (--key, OTACTL_KEY or the profile)");
        }
        response.headers().firstValue("Retry-After").ifPresent(s -> line.append("; retry after ").append(s).append(" s"));
        return new CliFailure(status >= 400 && status < 500 ? ExitCodes.REFUSED : ExitCodes.FAILED, line.toString());
    }

    private String seconds() {
        return timeout.toSeconds() + " s";
    }
}
