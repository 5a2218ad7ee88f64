package io.otaedge.control.engine;

import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.progress.DeviceProgressService;
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
    private final DeviceProgressService progress;

    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock) {
        this(devices, engine, tokens, clock, null);
    }

    /** @param progress told when a device checks in on a task's target version (that completes the task); may be null */
    public DeviceCheckService(DeviceRepository devices, UpgradeDecisionEngine engine, TokenIssuer tokens, Clock clock,
                              DeviceProgressService progress) {
        this.progress = progress;
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
                    NoUpgradeReason reason = ((Decision.NoUpgrade) decision).reason();
                    Mono<CheckOutcome> refused = Mono.just(new CheckOutcome.Refused(reason));
                    if (reason != NoUpgradeReason.ALREADY_UP_TO_DATE || progress == null
                            || (check.module() == null && check.type() == null)) {
                        return refused;
                    }
                    // Only here (rare) is the device's task history read: a check on the target version is success.
                    Mono<?> settled = check.module() != null
                            ? progress.reportVersion(check.productId(), check.deviceId(), check.module(), check.version())
                            : progress.reportVersion(check.productId(), check.deviceId(), check.type(), check.version());
                    return settled.then(refused);
                });
    }
}
