package io.otaedge.edge.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** LuatOS' route: the configured path, then the query with or without '?'; OneNET's forwarded API paths. */
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

    @Test
    void oneNetsApiPathsOnlyWhenFronted() {
        for (String target : new String[] {"/ota/south/check?dev_id=1", "/ota/south/report?dev_id=1&token=t",
                "/ota/device/version?dev_id=1", "/ota/south/download/ota_abc/check?dev_id=1",
                "/ota/south/device/download/ota_abc/progress?dev_id=1", "http://edge:8080/ota/south/check"}) {
            assertThat(Route.parse(target, null, true).kind()).as(target).isEqualTo(Route.Kind.DEVICE_API);
            assertThat(Route.parse(target, null, false).kind()).as(target).isNotEqualTo(Route.Kind.DEVICE_API);
        }
        assertThat(Route.parse("/ota/south/check?dev_id=1", null, true).token()).isEqualTo("/ota/south/check");
        assertThat(Route.parse("/ota/south/check?dev_id=1", null, true).query()).isEqualTo("dev_id=1");
    }

    @Test
    void downloadsAndNeighboursAreNotApiCalls() {
        assertThat(Route.parse("/ota/south/download/ota_abc?s_id=1", null, true).kind()).isEqualTo(Route.Kind.ONENET);
        assertThat(Route.parse("/ota/download/ota_abc", null, true).kind()).isEqualTo(Route.Kind.STANDARD);
        for (String target : new String[] {"/ota/south/checks", "/ota/south/check/", "/ota/south/device/download//progress",
                "/ota/south/device/download/a/b/progress", "/ota/device/versions"}) {
            assertThat(Route.parse(target, null, true).kind()).as(target).isEqualTo(Route.Kind.NONE);
        }
        assertThat(Route.parse("/ota/south/download/a/b/check", null, true).kind()).isEqualTo(Route.Kind.ONENET);
    }
}
