/*
 * Material for MkDocs' head script (partials/javascripts/base.html of Material 9.8,
 * MIT licence, Martin Donath), moved out of the page so the site runs under the
 * Content-Security-Policy "script-src 'self'" (no inline script). The page passes
 * the scope (Material's config.extra.scope or the base URL) in data-md-scope.
 */
__md_scope=new URL(document.currentScript.dataset.mdScope||".",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
