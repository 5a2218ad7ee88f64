package io.otaedge.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.otaedge.loadtest.dialect.Dialect;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * What every simulation shares: the campaign made in {@link #before()} (so a run that cannot set
 * up fails before any device starts), a device's start (identity and campaign in its session),
 * and an HTTP protocol that behaves like device firmware.
 */
public abstract class OtaSimulation extends Simulation {

    private final String name;
    private final int defaultFirmwareKiB;
    private volatile Campaign campaign;

    protected OtaSimulation(String name, int defaultFirmwareKiB) {
        this.name = name;
        this.defaultFirmwareKiB = defaultFirmwareKiB;
    }

    @Override
    public void before() {
        campaign = Campaign.prepare(name, defaultFirmwareKiB, dialects(), taskFields());
        System.out.printf("%s: product %s, firmware %s (%d bytes, md5 %s) against %s / %s%n", name,
                campaign.productId(), campaign.version(), campaign.size(), campaign.md5(),
                LoadSettings.deviceUrl(), LoadSettings.adminUrl());
    }

    /** The dialects besides OneNET whose set-up the campaign needs ({@link Dialect#prepare}); none by default. */
    protected List<Dialect> dialects() {
        return List.of();
    }

    /** More fields of the campaign's task request (e.g. a rollout rate); none by default. */
    protected ObjectNode taskFields() {
        return OtaAdmin.object();
    }

    protected Campaign campaign() {
        Campaign c = campaign;
        if (c == null) {
            throw new IllegalStateException("the campaign is made in before(); it did not run");
        }
        return c;
    }

    /**
     * A new device: {@code devId}, {@code mac}, {@code imei}, {@code deviceName}, {@code clientId}
     * from {@link Devices}, and the campaign as {@code productId}, {@code authorization},
     * {@code fromVersion}, {@code targetVersion}, {@code expectedSize}, {@code expectedMd5}, and
     * the dialects' {@link Campaign#dialectAttributes()}.
     */
    protected ChainBuilder newDevice() {
        return feed(Devices.feeder()).exec(session -> {
            Campaign c = campaign();
            return session.set("productId", c.productId())
                    .set("authorization", c.oneNetAuthorization())
                    .set("fromVersion", Campaign.FROM_VERSION)
                    .set("targetVersion", c.version())
                    .set("expectedSize", c.size())
                    .set("expectedMd5", c.md5())
                    .setAll(c.dialectAttributes());
        });
    }

    /**
     * Device-like HTTP: control's device port as the base URL (downloads use absolute URLs), one
     * connection pool per device, no HTTP cache (a device never sends If-None-Match), no redirects
     * (no device follows them), no warm-up call to the internet.
     */
    protected HttpProtocolBuilder deviceProtocol() {
        return http.baseUrl(LoadSettings.deviceUrl())
                .disableWarmUp()
                .disableCaching()
                .disableFollowRedirect()
                .userAgentHeader("ota-loadtest");
    }
}
