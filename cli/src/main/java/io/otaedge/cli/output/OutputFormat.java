package io.otaedge.cli.output;

/** {@code --output}: aligned columns for people, the server's JSON for scripts. */
public enum OutputFormat {
    table, json
}
