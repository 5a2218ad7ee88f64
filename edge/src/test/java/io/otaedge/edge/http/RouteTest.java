package io.otaedge.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** LuatOS' route: the configured path, then the query with or without '?'. */
class RouteTest {

    static final String PATH = Route.LUATOS_PATH;

    @Test
    void luatosQueryAfterAQuestionMark() {
        Route r = Route.parse(PATH + "?project_key=k&imei=1", PATH);
        assertThat(r.kind()).isEqualTo(Route.Kind.LUATOS);
        assertThat(r.query()).isEqualTo("project_key=k&imei=1");
    }

    @Test
    void luatosParametersAppendedStraightToTheConfiguredUrl() {
        assertThat(Route.parse(PATH + "imei=1&project_key=k", PATH).query()).isEqualTo("imei=1&project_key=k");
        assertThat(Route.parse(PATH + "?&imei=1", PATH).query()).isEqualTo("imei=1");
        assertThat(Route.parse("/fota/luat?x=1&imei=2", "/fota/luat?x=1&").query()).isEqualTo("imei=2");
    }

    @Test
    void absoluteFormAndFragment() {
        Route r = Route.parse("http://edge:8080" + PATH + "?imei=1#frag", PATH);
        assertThat(r.kind()).isEqualTo(Route.Kind.LUATOS);
        assertThat(r.query()).isEqualTo("imei=1");
    }

    @Test
    void offWithoutAPath() {
        assertThat(Route.parse(PATH + "?imei=1").kind()).isEqualTo(Route.Kind.NONE);
        assertThat(Route.parse(PATH + "?imei=1", null).kind()).isEqualTo(Route.Kind.NONE);
        assertThat(Route.parse("/ota/download/ota_x", PATH).kind()).isEqualTo(Route.Kind.STANDARD);
    }
}
