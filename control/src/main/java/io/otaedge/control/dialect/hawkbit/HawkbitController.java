package io.otaedge.control.dialect.hawkbit;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.CheckOutcome;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.metrics.DialectMeters;
import io.otaedge.control.progress.DeviceProgress;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.progress.FailureKind;
import io.otaedge.control.progress.Transition;
import io.otaedge.control.task.DeviceTaskState;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import io.otaedge.control.task.UpgradeType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The DDI resources of one controller (device), translated over the one engine ({@link DeviceCheckService}) and
 * the one state machine ({@link DeviceProgressService}). The device's version is the one it last reported (its
 * {@code version} attribute through configData, or a finished action); a device that never told one is checked
 * as {@code 0}, older than every release, as hawkBit offers a deployment whatever the device runs. An action is a
 * task, numbered per product ({@link HawkbitStore#actionId}).
 */
final class HawkbitController {

    /** The attribute (configData) that carries the version the device runs. */
    static final String VERSION_ATTRIBUTE = "version";
    static final String UNKNOWN_VERSION = "0";
    private static final String MODULE = Firmware.DEFAULT_MODULE;

    private final DeviceRepository devices;
    private final TaskRepository tasks;
    private final DeviceCheckService checks;
    private final DeviceProgressService progress;
    private final EdgeDirectory edges;
    private final HawkbitStore store;
    private final HawkbitSha1 sha1;
    private final DialectMeters meters;
    private final Clock clock;

    HawkbitController(DeviceRepository devices, TaskRepository tasks, DeviceCheckService checks, DeviceProgressService progress,
                      EdgeDirectory edges, HawkbitStore store, HawkbitSha1 sha1, DialectMeters meters, Clock clock) {
        this.devices = devices;
        this.tasks = tasks;
        this.checks = checks;
        this.progress = progress;
        this.edges = edges;
        this.store = store;
        this.sha1 = sha1;
        this.meters = meters;
        this.clock = clock;
    }

    /** {@code GET /{tenant}/controller/v1/{controllerId}}: the poll, counted as the dialect's check. */
    Mono<Object> poll(HawkbitCall c) {
        return devices.find(c.productId(), c.deviceId()).defaultIfEmpty(Map.of()).flatMap(fields -> {
            Map<String, Object> links = new LinkedHashMap<>();
            int[] hint = {0};
            Mono<Map<String, Object>> next = pendingCancel(c, fields)
                    .map(actionId -> {
                        links.put("cancelAction", HawkbitReplies.href(c.controllerUrl() + "/cancelAction/" + actionId));
                        return links;
                    })
                    .switchIfEmpty(Mono.defer(() -> offer(c, fields, hint).flatMap(o -> store.actionId(c.productId(), o.task().id())
                            .map(actionId -> {
                                links.put("deploymentBase", HawkbitReplies.href(c.controllerUrl() + "/deploymentBase/" + actionId
                                        + "?c=" + HawkbitReplies.changeHash(o.task(), o.pkg())));
                                return links;
                            }))))
                    .defaultIfEmpty(links);
            return next.map(l -> {
                meters.check(l.containsKey("deploymentBase") ? DialectMeters.Outcome.UPGRADE : DialectMeters.Outcome.NO_TASK);
                if (fields.keySet().stream().noneMatch(k -> k.startsWith(HawkbitStore.ATTRIBUTE_PREFIX))) {
                    // hawkBit asks for attributes until the device has sent some.
                    l.put("configData", HawkbitReplies.href(c.controllerUrl() + "/configData"));
                }
                // A device held back (a rollout rate, a retry wait) is asked to poll again when its turn may come.
                String sleep = c.settings().sleepFor(c.productId(), c.deviceId(), hint[0]);
                return (Object) HawkbitReplies.base(sleep, l);
            });
        }).doOnError(e -> meters.check(e instanceof HawkbitError ? DialectMeters.Outcome.REJECTED : DialectMeters.Outcome.ERROR));
    }

    /** {@code GET …/deploymentBase/{actionId}}: the action while the engine still offers its task to the device. */
    Mono<Object> deploymentBase(HawkbitCall c, long actionId) {
        return task(c, actionId).flatMap(taskId -> devices.find(c.productId(), c.deviceId()).defaultIfEmpty(Map.of())
                .flatMap(fields -> offer(c, fields))
                .filter(o -> o.task().id().equals(taskId))
                .switchIfEmpty(Mono.error(() -> HawkbitError.notFound("action " + actionId + " is not open for " + c.deviceId())))
                .flatMap(o -> Mono.zip(sha1.of(o.pkg()), edges.downloadUrl(o.grant().token()))
                        .map(t -> (Object) HawkbitReplies.deployment(actionId, o.task(), t.getT1(), t.getT2()))));
    }

    /** {@code POST …/deploymentBase/{actionId}/feedback}: onto the state machine; always 200 once the device is in the action. */
    Mono<Object> deploymentFeedback(HawkbitCall c, long actionId, byte[] body) {
        HawkbitFeedback fb = HawkbitFeedback.parse(body);
        return member(c, actionId).flatMap(task -> {
            meters.progressReport();
            return apply(c, task, fb);
        }).then(Mono.empty());
    }

    /** {@code GET …/cancelAction/{actionId}}: while the action's task is stopped and the device is in it. */
    Mono<Object> cancelAction(HawkbitCall c, long actionId) {
        return member(c, actionId)
                .filter(task -> task.status() == TaskStatus.STOPPED)
                .switchIfEmpty(Mono.error(() -> HawkbitError.notFound("no cancellation of action " + actionId)))
                .map(task -> HawkbitReplies.cancel(actionId));
    }

    /** {@code POST …/cancelAction/{actionId}/feedback}: recorded on the device; a final answer ends the cancelAction links. */
    Mono<Object> cancelFeedback(HawkbitCall c, long actionId, byte[] body) {
        HawkbitFeedback fb = HawkbitFeedback.parse(body);
        return member(c, actionId).flatMap(task -> {
            meters.progressReport();
            return store.recordCancelFeedback(c.productId(), c.deviceId(), actionId, fb.execution(), fb.finished(), clock.millis());
        }).then(Mono.empty());
    }

    /** {@code GET …/installedBase/{actionId}}: the deployment of an action the device finished with success (no links). */
    Mono<Object> installedBase(HawkbitCall c, long actionId) {
        return task(c, actionId)
                .flatMap(taskId -> progress.taskProgress(c.productId(), c.deviceId(), taskId))
                .filter(p -> p.state() == DeviceTaskState.SUCCEEDED)
                .flatMap(p -> tasks.find(p.taskId()))
                .switchIfEmpty(Mono.error(() -> HawkbitError.notFound("no installed action " + actionId + " for " + c.deviceId())))
                .flatMap(task -> sha1.of(task.firmware()).map(pkg -> HawkbitReplies.deployment(actionId, task, pkg, null)));
    }

    /** {@code PUT …/configData}: attributes stored on the device; a {@code version} set is also a version report. */
    Mono<Object> configData(HawkbitCall c, byte[] body) {
        HawkbitAttributes update = HawkbitAttributes.parse(body);
        String version = update.mode() == HawkbitAttributes.Mode.REMOVE ? null : update.attributes().get(VERSION_ATTRIBUTE);
        Mono<Void> report = version == null || !io.otaedge.control.catalog.Names.isVersion(version) ? Mono.empty()
                : progress.reportVersion(c.productId(), c.deviceId(), MODULE, version)
                        .doOnNext(moves -> {
                            if (moves.stream().anyMatch(Transition::completed)) {
                                meters.progressReport();
                            }
                        }).then();
        return store.saveAttributes(c.productId(), c.deviceId(), update).then(report).then(Mono.empty());
    }

    private Mono<Transition> apply(HawkbitCall c, UpgradeTask task, HawkbitFeedback fb) {
        String pid = c.productId();
        String did = c.deviceId();
        String desc = fb.details().isEmpty() ? fb.execution() + "/" + fb.finished() : fb.details();
        return switch (fb.execution()) {
            case "closed" -> "failure".equals(fb.finished())
                    ? progress.reportState(pid, did, task.id(), DeviceTaskState.FAILED, -1, desc)
                    // closed with success (or none, which hawkBit also takes as finished): the device runs the target now.
                    : progress.reportVersion(pid, did, task.module(), task.targetVersion())
                            .map(moves -> moves.isEmpty() ? new Transition(Transition.Outcome.UNCHANGED, null,
                                    DeviceTaskState.SUCCEEDED, false, false) : moves.get(0));
            case "canceled" -> progress.reportState(pid, did, task.id(), DeviceTaskState.FAILED, -1,
                    fb.execution() + " by the device: " + desc);
            // The device declined the update: the abort criteria count it as REJECTED, not as a failed install.
            case "rejected" -> progress.reportFailure(pid, did, task.id(), FailureKind.REJECTED, -1,
                    fb.execution() + " by the device: " + desc);
            case "downloaded" -> progress.reportState(pid, did, task.id(), DeviceTaskState.DOWNLOADED, desc);
            default -> fb.percent() >= 0
                    ? progress.reportStep(pid, did, task.id(), fb.percent(), desc)
                    // Progress without a share (SWUpdate's log lines): only a device still waiting starts downloading.
                    : progress.reportState(pid, did, task.id(), DeviceTaskState.DOWNLOADING, 0, desc,
                            Set.of(DeviceTaskState.TO_BE_UPGRADED));
        };
    }

    /** The engine's offer for the device now, from its stored version and attributes. */
    private Mono<CheckOutcome.Offer> offer(HawkbitCall c, Map<String, String> fields) {
        return offer(c, fields, new int[1]);
    }

    /** As {@link #offer(HawkbitCall, Map)}; a refusal's come-back hint in seconds lands in {@code retryAfter[0]}. */
    private Mono<CheckOutcome.Offer> offer(HawkbitCall c, Map<String, String> fields, int[] retryAfter) {
        String version = fields.getOrDefault(DeviceRepository.moduleVersionField(MODULE), UNKNOWN_VERSION);
        DeviceCheck check = new DeviceCheck(c.productId(), c.deviceId(), UpgradeType.FOTA, version,
                fields.get(HawkbitStore.ATTRIBUTE_PREFIX + "manufacturer"), fields.get(HawkbitStore.ATTRIBUTE_PREFIX + "model"),
                null, null, MODULE, fields.get(HawkbitStore.ATTRIBUTE_PREFIX + "mac"));
        return checks.check(check)
                .doOnNext(outcome -> {
                    if (outcome.completedTask()) {
                        meters.progressReport();
                    }
                    if (outcome instanceof CheckOutcome.Refused no) {
                        retryAfter[0] = no.retryAfterSeconds();
                    }
                })
                .filter(CheckOutcome.Offer.class::isInstance)
                .cast(CheckOutcome.Offer.class);
    }

    /**
     * The action to cancel: the device's newest task of the module, unfinished, whose task was stopped, and
     * to which the device has not given a final answer to the cancellation yet.
     */
    private Mono<Long> pendingCancel(HawkbitCall c, Map<String, String> fields) {
        return progress.progress(c.productId(), c.deviceId(), MODULE)
                .filter(p -> !p.state().terminal())
                .flatMap(p -> tasks.find(p.taskId()))
                .filter(t -> t.status() == TaskStatus.STOPPED)
                .flatMap(t -> store.actionId(c.productId(), t.id()))
                .filter(id -> !finalAnswer(fields.get(HawkbitStore.CANCEL_PREFIX + id)));
    }

    private static boolean finalAnswer(String recorded) {
        return recorded != null && List.of("closed", "canceled", "rejected").contains(recorded.substring(0, recorded.indexOf('/')));
    }

    /** The task of an action number of the product; 404 when none. */
    private Mono<String> task(HawkbitCall c, long actionId) {
        return store.taskOf(c.productId(), actionId)
                .switchIfEmpty(Mono.error(() -> HawkbitError.notFound("no action " + actionId)));
    }

    /** The action's task, when the device holds a state in it; 404 otherwise. */
    private Mono<UpgradeTask> member(HawkbitCall c, long actionId) {
        return task(c, actionId)
                .flatMap(taskId -> progress.taskProgress(c.productId(), c.deviceId(), taskId))
                .map(DeviceProgress::taskId)
                .flatMap(tasks::find)
                .switchIfEmpty(Mono.error(() -> HawkbitError.notFound("action " + actionId + " is not assigned to " + c.deviceId())));
    }
}
