package com.onlinedukan.ops.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The ops page: static files under {@code static/ops/} ({@code index.html}, {@code ops.css}, ES modules in
 * {@code js/}, no build step) that read {@code /api/ops}; {@code /ops/**} is behind the ops credential.
 */
@Controller
class OpsPage {

    @GetMapping({ "/ops", "/ops/" })
    String page() {
        return "forward:/ops/index.html";
    }
}
