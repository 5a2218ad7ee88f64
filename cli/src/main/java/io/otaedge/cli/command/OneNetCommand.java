package io.otaedge.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otaedge.cli.http.AdminClient;
import io.otaedge.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code otactl onenet …}: what a OneNET device needs to call the device API (for tests and bring-up). */
@Command(name = "onenet", description = "OneNET helpers: device Authorization headers and device keys.")
public final class OneNetCommand extends AdminCommand {

    @Command(name = "authorization", description = "A valid OneNET device Authorization header value, for testing.")
    int authorization(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
                      @Option(names = "--res", paramLabel = "RES",
                              description = "Default products/<product>; or products/<product>/devices/<name>.") String res,
                      @Option(names = "--expires-in", paramLabel = "DURATION", description = "ISO-8601, default PT1H.")
                      String expiresIn,
                      @Option(names = "--method", paramLabel = "md5|sha1|sha256") String method,
                      @Option(names = "--sign-with", paramLabel = "product|device",
                              description = "device: with the key of the device --res names.") String signWith,
                      @Option(names = {"-q", "--quiet"}, description = "Print only the header value.") boolean quiet) {
        ObjectNode body = object();
        if (res != null) {
            body.put("res", res);
        }
        if (expiresIn != null) {
            body.put("expiresIn", expiresIn);
        }
        if (method != null) {
            body.put("method", method);
        }
        if (signWith != null) {
            body.put("signWith", signWith);
        }
        JsonNode answer = client().post(AdminClient.path("products", productId, "onenet-authorization"), body);
        if (quiet) {
            return printValue(answer, "authorization");
        }
        printer().print(answer, Table::fields);
        return 0;
    }

    @Command(name = "device-key", description = "The OneNET key to flash into a device (signs its own Authorization).")
    int deviceKey(@Option(names = {"-p", "--product"}, required = true, paramLabel = "PRODUCT") String productId,
                  @Parameters(paramLabel = "DEVICE_NAME") String deviceName,
                  @Option(names = {"-q", "--quiet"}, description = "Print only the key.") boolean quiet) {
        JsonNode answer = client().get(AdminClient.path("products", productId, "onenet-devices", deviceName, "key"));
        if (quiet) {
            return printValue(answer, "key");
        }
        printer().print(answer, Table::fields);
        return 0;
    }
}
