/*
 * Material for MkDocs' content script (partials/javascripts/content.html of Material
 * 9.8, MIT licence, Martin Donath), moved out of the page for "script-src 'self'":
 * a link to a content tab opens that tab.
 */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
