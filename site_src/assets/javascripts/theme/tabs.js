/*
 * Material for MkDocs' linked-tabs script (partials/javascripts/content.html of
 * Material 9.8, MIT licence, Martin Donath), moved out of the page for
 * "script-src 'self'"; used only with the content.tabs.link feature.
 */
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
