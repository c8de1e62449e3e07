package com.onlinedukan.ops.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The ops page: static HTML and a little JavaScript that reads {@code /api/ops}. */
@Controller
class OpsPage {

    @GetMapping({ "/ops", "/ops/" })
    String page() {
        return "forward:/ops/index.html";
    }
}
