package com.onlinedukan.order.web;

import java.util.List;
import java.util.Map;

import com.onlinedukan.order.OrderAspect;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The OpenAPI document says what the service does: the parts downstream modules add to an order
 * appear as the fields they are (not as a map), and every operation declares the problems every
 * path can answer (406, 500), the order API its 503.
 */
@Component
class ApiDocumentation implements OpenApiCustomizer {

    /** The RFC 9457 body of every error, as {@link com.onlinedukan.web.Problems} makes it. */
    static final String PROBLEM = "Problem";

    private final List<OrderAspect> aspects;

    ApiDocumentation(List<OrderAspect> aspects) {
        this.aspects = aspects;
    }

    @Override
    public void customise(OpenAPI api) {
        api.getComponents().addSchemas(PROBLEM, problemSchema());
        documentAspects(api);
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            problem(operation, "406", "not-acceptable", "The Accept header admits no JSON");
            problem(operation, "500", "internal-error", "An unexpected error; the body names no internals");
        }));
        Operation place = api.getPaths().get("/api/orders").getPost();
        problem(place, "503", "overloaded", "More order requests in flight than dukan.orders.max-in-flight for "
                + "longer than dukan.orders.admission-wait; Retry-After says when to try again, nothing is stored");
    }

    /** Adds a problem answer unless the operation declares that status itself. */
    static void problem(Operation operation, String status, String type, String description) {
        if (operation.getResponses().containsKey(status)) {
            return;
        }
        operation.getResponses().addApiResponse(status, new ApiResponse()
                .description(description + " (problem type /problems/" + type + ")")
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }

    private void documentAspects(OpenAPI api) {
        Schema<?> order = api.getComponents().getSchemas().get(OrderResponse.class.getSimpleName());
        if (order == null || order.getProperties() == null) {
            return;
        }
        order.getProperties().remove("aspects");
        for (OrderAspect aspect : aspects) {
            ResolvedSchema resolved = ModelConverters.getInstance().readAllAsResolvedSchema(aspect.type());
            if (resolved == null || resolved.schema == null) {
                continue;
            }
            resolved.referencedSchemas.forEach(api.getComponents()::addSchemas);
            String name = aspect.type().getSimpleName();
            api.getComponents().addSchemas(name, resolved.schema);
            order.addProperty(aspect.name(), new Schema<>().$ref("#/components/schemas/" + name));
        }
    }

    private static Schema<?> problemSchema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("field", new StringSchema().description("the bad field, as a JSON path into the request"));
        error.addProperty("message", new StringSchema());
        Schema<?> problem = new ObjectSchema().description("RFC 9457 problem details; `type` tells errors apart "
                + "(docs/problems.md describes each)");
        problem.setProperties(new java.util.LinkedHashMap<>(Map.of(
                "type", new StringSchema().example("/problems/validation"),
                "title", new StringSchema(),
                "status", new IntegerSchema(),
                "detail", new StringSchema(),
                "instance", new StringSchema(),
                "errors", new ArraySchema().items(error).description("each bad field (validation problems only)"))));
        return problem;
    }
}
