// teacher.html: the example embed code shows the address this copy of GenLab is served from.
const base = new URL("./", location.href);
if (base.protocol === "https:" || base.protocol === "http:") {
  for (const node of document.querySelectorAll("[data-genlab-base]")) node.textContent = base.href;
}
