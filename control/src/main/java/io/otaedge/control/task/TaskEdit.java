package io.otaedge.control.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.common.json.Json;
import io.otaedge.control.http.ApiException;
import io.otaedge.control.http.StrictBody;
import java.util.List;
import java.util.Set;

/**
 * An edit of an existing task as a JSON merge patch (RFC 7396) over the task's request form: its stored JSON
 * without what the task is (identity, product, firmware, live status and stage, creation time). The merged form
 * is read by the same {@link TaskBody} as a create body and checked by the same {@link TaskFactory} rules, so
 * every field a create accepts is editable with no code here, and a field the reader does not know is refused.
 */
final class TaskEdit {

    /** What an edit cannot change: the task's identity and live state, create-only switches, the rollback link. */
    static final Set<String> FIXED = Set.of("id", "productId", "firmwareId", "status", "stage", "createdAt", "firmware",
            "start", "rollbackOf");

    private TaskEdit() {
    }

    /** The spec {@code patch} asks for, merged onto {@code current}'s; a null field returns to its default. */
    static TaskSpec spec(UpgradeTask current, JsonNode patch, TaskSpec defaults) {
        List<String> fixed = patch.properties().stream().map(java.util.Map.Entry::getKey).filter(FIXED::contains).toList();
        if (!fixed.isEmpty()) {
            throw new ApiException(400, "immutable_field", "an edit cannot change " + String.join(", ", fixed.stream()
                    .map(f -> "'" + f + "'").toList()) + " (create a new task instead)");
        }
        ObjectNode form = requestForm(current);
        patch.properties().forEach(e -> form.set(e.getKey(), e.getValue()));
        StrictBody merged = StrictBody.of(form);
        TaskSpec spec = TaskBody.read(merged, defaults);
        // Only the patch's own fields can be unknown: the stored form holds what the reader wrote.
        StrictBody.refuse(merged.unread().stream().filter(patch::has).toList());
        // A rollback task stays linked to its origin (the request form has no such field).
        String rollbackOf = current.spec().rollbackOf();
        return rollbackOf == null ? spec : new TaskSpec(spec.targeting(), spec.rollout(), spec.schedule(), spec.offer(),
                spec.hints(), spec.rate(), spec.success(), spec.windows(), spec.retries(), spec.abortCriteria(),
                spec.autoRollback(), rollbackOf);
    }

    /** The task as the create body that would make it today (without the fields an edit cannot change). */
    static ObjectNode requestForm(UpgradeTask task) {
        ObjectNode form = Json.mapper().valueToTree(task);
        FIXED.forEach(form::remove);
        return form;
    }
}
