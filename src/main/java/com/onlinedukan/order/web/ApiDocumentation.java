package com.onlinedukan.order.web;

import java.util.List;

import com.onlinedukan.order.OrderAspect;
import com.onlinedukan.web.ProblemDocumentation;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The OpenAPI document says what the order API does: the parts downstream modules add to an order
 * appear as the fields they are (not as a map), and placing an order can answer 503. The problems
 * every path can answer, and their schema, are the web module's ({@link ProblemDocumentation}).
 */
@Component
class ApiDocumentation implements OpenApiCustomizer {

    private final List<OrderAspect> aspects;

    ApiDocumentation(List<OrderAspect> aspects) {
        this.aspects = aspects;
    }

    @Override
    public void customise(OpenAPI api) {
        documentAspects(api);
        Operation place = api.getPaths().get("/api/orders").getPost();
        ProblemDocumentation.declare(place.getResponses(), "503", "overloaded", "More order requests in flight than "
                + "dukan.orders.max-in-flight for longer than dukan.orders.admission-wait; Retry-After says when to "
                + "try again, nothing is stored");
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
}
