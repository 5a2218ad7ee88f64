package io.otaedge.control.engine;

import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.token.TokenIssuer;
import java.time.Clock;
import reactor.core.publisher.Mono;

/**
 * A device check, dialect-free: store the reported version (always, whether or not a task applies),
 * ask the engine, and hand out the device's token for the task and package it picked. A token
 * already issued for the task is handed out again while valid, even when a newer package appeared.
 */
public final class DeviceCheckService {

    private final DeviceRepository devices;
    private final UpgradeDecisionEngine engine;
    private final TokenIssuer tokens;
    private final Clock clock;

    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock) {
        this.devices = devices;
        this.engine = engine;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Mono<CheckOutcome> check(DeviceCheck check) {
        return devices.recordCheck(check, clock.millis())
                .flatMap(firstSeenAt -> engine.decide(check, firstSeenAt))
                .flatMap(decision -> {
                    if (decision instanceof Decision.Upgrade up) {
                        return tokens.issue(up.task(), up.pkg(), check.deviceId(), check.version())
                                .map(grant -> (CheckOutcome) new CheckOutcome.Offer(up.task(), grant, up.pkg()));
                    }
                    return Mono.just(new CheckOutcome.Refused(((Decision.NoUpgrade) decision).reason()));
                });
    }
}
