package io.switchboard.tests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@MissionCritical
class OpenApiTest {

    @Test
    void everyEndpointIsDocumentedWithItsErrorsAndSecurity() {
        given().queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/api/ws/tickets"))
                .body("paths", hasKey("/api/notifications"))
                .body("paths", hasKey("/api/admin/connections"))
                .body("paths", hasKey("/api/admin/users/{userId}/connections"))
                .body("paths", hasKey("/api/admin/compliance"))
                .body("paths.'/api/notifications'.post.summary", notNullValue())
                .body(
                        "paths.'/api/notifications'.post.responses.'400'.'$ref'",
                        equalTo("#/components/responses/BadRequest"))
                .body(
                        "paths.'/api/admin/compliance'.get.responses.'403'.'$ref'",
                        equalTo("#/components/responses/Forbidden"))
                .body("components.responses.Unauthorized.content", hasKey("application/problem+json"))
                .body("components.schemas", hasKey("Problem"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/api/admin/connections'.get.security[0]", hasKey("bearer"));
    }
}
