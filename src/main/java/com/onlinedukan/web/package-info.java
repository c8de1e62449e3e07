/**
 * What every module's web adapters share: RFC 9457 problem answers, their types, and the one way a
 * servlet filter writes one.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web", allowedDependencies = {})
package com.onlinedukan.web;
