package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.http.AdminClient;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Paging of the admin API's lists ({@code {"items":[...],"nextCursor":...}}): one page ({@code --limit},
 * {@code --cursor}) or, with {@code --all}, every page followed and joined into one answer.
 */
final class PageOptions {

    @Option(names = "--limit", paramLabel = "N", description = "Items per page (server default 100, at most 1000).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Start at this page (a previous nextCursor).")
    String cursor;

    @Option(names = "--all", description = "Follow every page and print them as one list.")
    boolean all;

    /** The page asked for, or every page joined (nextCursor null) with {@code --all}. */
    JsonNode fetch(AdminClient client, String path, Map<String, Object> query) {
        query.put("limit", limit);
        query.put("cursor", cursor);
        JsonNode page = client.get(path + AdminClient.query(query));
        if (!all) {
            return page;
        }
        ObjectNode joined = page.deepCopy();
        ArrayNode items = (ArrayNode) joined.withArray("items");
        while (!page.path("nextCursor").isNull() && !page.path("nextCursor").isMissingNode()) {
            query.put("cursor", page.path("nextCursor").asText());
            page = client.get(path + AdminClient.query(query));
            items.addAll((ArrayNode) page.path("items"));
        }
        joined.putNull("nextCursor");
        return joined;
    }
}
