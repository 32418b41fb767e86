// Starts Swagger UI from a file, not an inline script, so the page passes a strict CSP.
window.addEventListener("load", function () {
  var config = document.getElementById("swagger-ui").dataset;
  window.ui = SwaggerUIBundle({
    url: config.openapiUrl,
    dom_id: "#swagger-ui",
    oauth2RedirectUrl: window.location.origin + config.oauth2RedirectUrl,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    tryItOutEnabled: false,
  });
});
