package io.otaedge.control.dialect.onenet;

import io.otaedge.control.admin.AdminReply;
import io.otaedge.control.admin.AdminRequests;
import io.otaedge.control.admin.DialectAdmin;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.RequestBodies;
import io.otaedge.control.http.StrictBody;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * {@code POST /admin/v1/products/{productId}/onenet-authorization} {@code {"res"?, "expiresIn"?, "method"?, "signWith"?}}:
 * mints a device {@code Authorization} header with the product's access key (or, {@code "signWith":"device"},
 * the key of the device {@code res} names), so an operator can play a OneNET device with curl.
 * {@code GET /admin/v1/products/{productId}/onenet-devices/{deviceName}/key}: the device key to flash.
 */
final class OneNetAdmin implements DialectAdmin {

    private static final String PRODUCT = "/admin/v1/products/{productId}";

    private static final Duration MAX_LIFETIME = Duration.ofDays(366);
    private static final Set<String> METHODS = Set.of("md5", "sha1", "sha256");

    private final ProductRepository products;
    private final int maxBody;
    private final Clock clock;

    OneNetAdmin(ProductRepository products, int maxBody, Clock clock) {
        this.products = products;
        this.maxBody = maxBody;
        this.clock = clock;
    }

    @Override
    public void register(HttpServerRoutes routes, Guard reading, Guard secured) {
        routes.post(PRODUCT + "/onenet-authorization", reading.apply(this::create))
                .get(PRODUCT + "/onenet-devices/{deviceName}/key", secured.apply(this::deviceKey));
    }

    private Mono<AdminReply> create(HttpServerRequest request) {
        String productId = request.param("productId");
        return RequestBodies.readObject(request, maxBody, true).map(StrictBody::of).flatMap(body -> {
            String res = AdminRequests.optionalText(body, "res");
            if (res == null) {
                res = "products/" + productId;
            } else if (!res.equals("products/" + productId) && !res.matches("products/" + java.util.regex.Pattern.quote(productId) + "/devices/[^/]+")) {
                throw ApiException.badRequest("res must be products/" + productId + " or products/" + productId + "/devices/<name>");
            }
            Duration lifetime = lifetime(AdminRequests.optionalText(body, "expiresIn"));
            String method = AdminRequests.optionalText(body, "method");
            String m = method == null ? "sha256" : method.toLowerCase(java.util.Locale.ROOT);
            if (!METHODS.contains(m)) {
                throw ApiException.badRequest("method must be md5, sha1 or sha256");
            }
            String signWith = AdminRequests.optionalText(body, "signWith");
            body.refuseUnread();
            String device = OneNetAuthorization.deviceName(res);
            if (signWith != null && !signWith.equals("product") && !signWith.equals("device")) {
                throw ApiException.badRequest("signWith must be product or device");
            }
            boolean withDeviceKey = "device".equals(signWith);
            if (withDeviceKey && device == null) {
                throw ApiException.badRequest("signWith device needs res products/" + productId + "/devices/<name>");
            }
            String resource = res;
            long et = clock.millis() / 1000 + lifetime.toSeconds();
            return DialectAdmin.product(products, productId)
                    .map(p -> AdminReply.ok(Map.of("authorization", OneNetAuthorization.sign(
                            withDeviceKey ? OneNetDeviceKey.of(p.accessKey(), device) : p.accessKey(), resource, et, m))));
        });
    }

    private Mono<AdminReply> deviceKey(HttpServerRequest request) {
        String productId = request.param("productId");
        String device = request.param("deviceName");
        if (device == null || device.isEmpty() || device.length() > 128 || device.contains("/")) {
            return Mono.error(ApiException.badRequest("deviceName must be 1 to 128 characters without '/'"));
        }
        return DialectAdmin.product(products, productId)
                .map(p -> AdminReply.ok(Map.of("productId", productId, "deviceName", device,
                        "key", OneNetDeviceKey.of(p.accessKey(), device))));
    }

    private static Duration lifetime(String expiresIn) {
        if (expiresIn == null) {
            return Duration.ofHours(1);
        }
        try {
            Duration d = Duration.parse(expiresIn);
            if (d.toSeconds() < 1 || d.compareTo(MAX_LIFETIME) > 0) {
                throw ApiException.badRequest("expiresIn must be between PT1S and P366D");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("expiresIn must be an ISO-8601 duration such as PT1H");
        }
    }
}
