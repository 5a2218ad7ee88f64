package io.otaedge.control.dialect.fog;

import io.otaedge.control.catalog.Firmware;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.task.TaskFactory;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.task.TaskRuleViolation;
import io.otaedge.control.task.TaskSpec;
import io.otaedge.control.task.TaskStatus;
import io.otaedge.control.task.UpgradeTask;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** The engine task behind a FOG file: made by the {@link TaskFactory} like any other, stopped when the file moves on. */
final class FogTasks {

    private final TaskRepository tasks;
    private final TaskFactory factory;

    FogTasks(TaskRepository tasks, Clock clock) {
        this.tasks = tasks;
        this.factory = new TaskFactory(clock);
    }

    /** The factory's defaults with the file's MACs (lowercase) as the device list; a refused task is a 10000. */
    Mono<UpgradeTask> create(Firmware fw, List<String> macRange, int fogStatus) {
        List<String> devices = macRange == null ? List.of() : macRange.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        TaskSpec spec = factory.defaults();
        UpgradeTask task;
        try {
            task = factory.create(fw.productId(), fw, spec.withTargeting(spec.targeting().withDevices(devices)), status(fogStatus));
        } catch (TaskRuleViolation e) {
            return Mono.error(FogReply.parameter("任务不可创建 (" + e.getMessage() + ")"));
        }
        return tasks.create(task);
    }

    /**
     * Stops the file's task through its control word, which devices and the admin API read (rewriting the task's
     * record, as before, left it running); one already stopped, by the operator say, stays so.
     */
    Mono<Void> stop(String taskId) {
        return tasks.find(taskId)
                .filter(t -> t.status() != TaskStatus.STOPPED)
                .flatMap(t -> tasks.control(t, TaskRepository.Action.STOP, null))
                .onErrorResume(e -> e instanceof ApiException a && a.status() == 409, e -> Mono.empty()) // stopped meanwhile
                .then();
    }

    static TaskStatus status(int fogStatus) {
        return switch (fogStatus) {
            case FogFile.ONLINE -> TaskStatus.RUNNING;
            case FogFile.INVALID -> TaskStatus.STOPPED;
            default -> TaskStatus.PAUSED; // test: not offered to devices yet
        };
    }
}
