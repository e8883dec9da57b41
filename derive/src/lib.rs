//! `#[derive(FromJson)]` and `#[derive(ToJson)]`: read a type from a `serde_json::Value` and
//! write it as one, the way its `#[serde(...)]` attributes describe serde's JSON format.
//!
//! The generated code calls small, non-generic helpers in `crate::model::json`; a type's reader
//! or writer is a list of those calls rather than serde's visitor machinery, which keeps the
//! shipped WebAssembly small. Supported attributes (the ones the simulator's types use):
//!
//! - container: `rename_all = "camelCase"`, `deny_unknown_fields`, `default`, `tag = "..."`,
//!   `untagged`, `transparent`;
//! - field: `default`, `default = "path"`, `skip`, `rename = "..."`,
//!   `skip_serializing_if = "path"`.
//!
//! Anything else is a compile error, so a new attribute cannot silently change the format.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Fields, FieldsNamed, LitStr, parse_macro_input};

/// Derives `crate::model::json::FromJson` from the type's serde attributes.
#[proc_macro_derive(FromJson, attributes(serde))]
pub fn derive_from_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive_with(&input, "FromJson", expand)
}

/// Checks what both derives refuse (generics, unions), then expands `input` with `expand`.
fn derive_with(
    input: &DeriveInput,
    derive: &str,
    expand: fn(&DeriveInput, Container) -> syn::Result<Tokens>,
) -> TokenStream {
    let checked = if !input.generics.params.is_empty() {
        Err(syn::Error::new_spanned(
            &input.generics,
            format!("{derive} does not support generic types"),
        ))
    } else if matches!(input.data, Data::Union(_)) {
        Err(syn::Error::new_spanned(
            &input.ident,
            format!("{derive} does not support unions"),
        ))
    } else {
        container_attrs(&input.attrs)
    };
    match checked.and_then(|c| expand(input, c)) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// A named field as JSON sees it: its name in the text (`None` when skipped) and attributes.
struct JsonField<'a> {
    ident: &'a syn::Ident,
    name: Option<String>,
    attrs: FieldAttrs,
}

fn json_fields(fields: &FieldsNamed, camel: bool) -> syn::Result<Vec<JsonField<'_>>> {
    let mut out = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else {
            return Err(syn::Error::new_spanned(field, "a named field has no name"));
        };
        let attrs = field_attrs(&field.attrs)?;
        let name = match &attrs.rename {
            _ if attrs.skip => None,
            Some(name) => Some(name.clone()),
            None if camel => Some(camel_field(&ident_name(ident))),
            None => Some(ident_name(ident)),
        };
        out.push(JsonField { ident, name, attrs });
    }
    Ok(out)
}

#[derive(Default)]
struct Container {
    camel_case: bool,
    deny_unknown: bool,
    default: bool,
    tag: Option<String>,
    untagged: bool,
}

enum FieldDefault {
    None,
    Trait,
    Path(syn::ExprPath),
}

struct FieldAttrs {
    default: FieldDefault,
    skip: bool,
    rename: Option<String>,
    skip_if: Option<syn::ExprPath>,
}

fn container_attrs(attrs: &[Attribute]) -> syn::Result<Container> {
    let mut c = Container::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let value: LitStr = meta.value()?.parse()?;
                if value.value() != "camelCase" {
                    return Err(
                        meta.error("the JSON derives support rename_all = \"camelCase\" only")
                    );
                }
                c.camel_case = true;
            } else if meta.path.is_ident("deny_unknown_fields") {
                c.deny_unknown = true;
            } else if meta.path.is_ident("default") {
                c.default = true;
            } else if meta.path.is_ident("tag") {
                let value: LitStr = meta.value()?.parse()?;
                c.tag = Some(value.value());
            } else if meta.path.is_ident("untagged") {
                c.untagged = true;
            } else if meta.path.is_ident("transparent") {
                // A newtype struct is written as what it holds with or without it.
            } else {
                return Err(meta.error("attribute not supported by the JSON derives"));
            }
            Ok(())
        })?;
    }
    Ok(c)
}

fn field_attrs(attrs: &[Attribute]) -> syn::Result<FieldAttrs> {
    let mut f = FieldAttrs {
        default: FieldDefault::None,
        skip: false,
        rename: None,
        skip_if: None,
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                f.default = if meta.input.peek(syn::Token![=]) {
                    let value: LitStr = meta.value()?.parse()?;
                    FieldDefault::Path(value.parse()?)
                } else {
                    FieldDefault::Trait
                };
            } else if meta.path.is_ident("skip") {
                f.skip = true;
            } else if meta.path.is_ident("rename") {
                let value: LitStr = meta.value()?.parse()?;
                f.rename = Some(value.value());
            } else if meta.path.is_ident("skip_serializing_if") {
                let value: LitStr = meta.value()?.parse()?;
                f.skip_if = Some(value.parse()?);
            } else {
                return Err(meta.error("attribute not supported by the JSON derives"));
            }
            Ok(())
        })?;
    }
    Ok(f)
}

/// `snake_case` → `camelCase` (a field's name).
fn camel_field(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `PascalCase` → `camelCase` (a variant's name).
fn camel_variant(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn ident_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_string).unwrap_or(name)
}

/// The expression that builds `path { fields }` from the map `__m`.
fn named_body(
    path: Tokens,
    fields: &FieldsNamed,
    camel: bool,
    deny_unknown: bool,
    tag: Option<&str>,
    container_default: bool,
) -> syn::Result<Tokens> {
    let mut names = Vec::new();
    let mut inits = Vec::new();
    for JsonField { ident, name, attrs } in json_fields(fields, camel)? {
        let Some(name) = name else {
            inits.push(quote! { #ident: ::core::default::Default::default() });
            continue;
        };
        inits.push(match attrs.default {
            FieldDefault::Trait => quote! { #ident: __j::or_default(__m, #name)? },
            FieldDefault::Path(p) => quote! {
                #ident: match __j::optional(__m, #name)? {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => #p(),
                }
            },
            FieldDefault::None if container_default => quote! {
                #ident: match __j::optional(__m, #name)? {
                    ::core::option::Option::Some(v) => v,
                    ::core::option::Option::None => __d.#ident,
                }
            },
            FieldDefault::None => quote! { #ident: __j::required(__m, #name)? },
        });
        names.push(name);
    }
    if let Some(tag) = tag {
        names.push(tag.to_string());
    }
    let deny = deny_unknown.then(|| quote! { __j::deny_unknown(__m, &[#(#names),*])?; });
    let defaults =
        container_default.then(|| quote! { let __d: Self = ::core::default::Default::default(); });
    Ok(quote! {{
        #deny
        #defaults
        ::core::result::Result::Ok(#path { #(#inits),* })
    }})
}

fn expand(input: &DeriveInput, c: Container) -> syn::Result<Tokens> {
    let name = &input.ident;
    let type_name = name.to_string();
    let body = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(fields) => {
                let expected = format!("struct {type_name}");
                let inner = named_body(
                    quote!(Self),
                    fields,
                    c.camel_case,
                    c.deny_unknown,
                    None,
                    c.default,
                )?;
                quote! {
                    let __m = __j::object(__v, #expected)?;
                    #inner
                }
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                quote! { ::core::result::Result::Ok(Self(__j::FromJson::from_json(__v)?)) }
            }
            _ => {
                return Err(syn::Error::new_spanned(
                    name,
                    "FromJson supports named-field and newtype structs",
                ));
            }
        },
        Data::Enum(e) => {
            let variants: Vec<_> = e.variants.iter().collect();
            let Some(last) = variants.len().checked_sub(1) else {
                return Err(syn::Error::new_spanned(name, "FromJson needs a variant"));
            };
            let json_names: Vec<String> = variants
                .iter()
                .map(|v| {
                    let n = ident_name(&v.ident);
                    if c.camel_case { camel_variant(&n) } else { n }
                })
                .collect();
            if c.untagged {
                let mut tries = Vec::new();
                for v in &variants {
                    let ident = &v.ident;
                    tries.push(match &v.fields {
                        Fields::Unnamed(f) if f.unnamed.len() == 1 => quote! {
                            if let ::core::result::Result::Ok(x) = __j::FromJson::from_json(__v) {
                                return ::core::result::Result::Ok(Self::#ident(x));
                            }
                        },
                        Fields::Unit => quote! {
                            if __v.is_null() {
                                return ::core::result::Result::Ok(Self::#ident);
                            }
                        },
                        _ => {
                            return Err(syn::Error::new_spanned(
                                v,
                                "FromJson's untagged enums take newtype and unit variants",
                            ));
                        }
                    });
                }
                quote! {
                    #(#tries)*
                    ::core::result::Result::Err(__j::Error::untagged(#type_name))
                }
            } else {
                let mut arms = Vec::new();
                let all_unit = variants.iter().all(|v| matches!(v.fields, Fields::Unit));
                for (i, v) in variants.iter().enumerate() {
                    let ident = &v.ident;
                    let pattern = if i == last { quote!(_) } else { quote!(#i) };
                    let json_name = &json_names[i];
                    let expected = format!("struct variant {type_name}::{ident}");
                    let build = match &v.fields {
                        Fields::Unit => quote! { ::core::result::Result::Ok(Self::#ident) },
                        Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                            if c.tag.is_some() {
                                quote! {
                                    ::core::result::Result::Ok(Self::#ident(__j::FromJson::from_json(__v)?))
                                }
                            } else {
                                quote! {
                                    ::core::result::Result::Ok(Self::#ident(__j::content(__c, #json_name)?))
                                }
                            }
                        }
                        Fields::Named(fields) => {
                            let inner = named_body(
                                quote!(Self::#ident),
                                fields,
                                false,
                                c.deny_unknown,
                                c.tag.as_deref(),
                                false,
                            )?;
                            if c.tag.is_some() {
                                inner
                            } else {
                                quote! {
                                    (|| {
                                        let __m = __j::object(__j::or_null(__c), #expected)?;
                                        #inner
                                    })()
                                    .map_err(|e: __j::Error| e.at_key(#json_name))
                                }
                            }
                        }
                        Fields::Unnamed(_) => {
                            return Err(syn::Error::new_spanned(
                                v,
                                "FromJson supports unit, newtype and struct variants",
                            ));
                        }
                    };
                    arms.push(quote! { #pattern => #build });
                }
                if let Some(tag) = &c.tag {
                    let expected = format!("internally tagged enum {type_name}");
                    quote! {
                        let __m = __j::object(__v, #expected)?;
                        match __j::tagged(__m, #tag, &[#(#json_names),*])? {
                            #(#arms,)*
                        }
                    }
                } else if all_unit {
                    let expected = format!("enum {type_name}");
                    quote! {
                        match __j::unit_variant(__v, &[#(#json_names),*], #expected)? {
                            #(#arms,)*
                        }
                    }
                } else {
                    let expected = format!("enum {type_name}");
                    quote! {
                        let (__i, __c) = __j::external(__v, &[#(#json_names),*], #expected)?;
                        match __i {
                            #(#arms,)*
                        }
                    }
                }
            }
        }
        Data::Union(_) => Tokens::new(),
    };
    Ok(quote! {
        impl crate::model::json::FromJson for #name {
            #[allow(unused_variables, clippy::redundant_closure_call)]
            fn from_json(
                __v: &crate::model::json::Value,
            ) -> ::core::result::Result<Self, crate::model::json::Error> {
                use crate::model::json as __j;
                #body
            }
        }
    })
}

/// Derives `crate::model::json::ToJson` from the type's serde attributes.
#[proc_macro_derive(ToJson, attributes(serde))]
pub fn derive_to_json(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive_with(&input, "ToJson", expand_to)
}

/// Statements that put the fields (bound to their own names) into the map `__m`.
fn put_fields(fields: &FieldsNamed, camel: bool, on_self: bool) -> syn::Result<Vec<Tokens>> {
    let mut puts = Vec::new();
    for JsonField { ident, name, attrs } in json_fields(fields, camel)? {
        let Some(name) = name else {
            continue;
        };
        let value = if on_self {
            quote!(&self.#ident)
        } else {
            quote!(#ident)
        };
        let put = quote! { __j::put(&mut __m, #name, __j::ToJson::to_json(#value)); };
        puts.push(match attrs.skip_if {
            Some(p) => quote! { if !#p(#value) { #put } },
            None => put,
        });
    }
    Ok(puts)
}

fn field_idents(fields: &FieldsNamed) -> Vec<&syn::Ident> {
    fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .collect()
}

fn expand_to(input: &DeriveInput, c: Container) -> syn::Result<Tokens> {
    let name = &input.ident;
    let body = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(fields) => {
                let puts = put_fields(fields, c.camel_case, true)?;
                quote! {
                    let mut __m = __j::Map::new();
                    #(#puts)*
                    __j::Value::Object(__m)
                }
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                quote! { __j::ToJson::to_json(&self.0) }
            }
            _ => {
                return Err(syn::Error::new_spanned(
                    name,
                    "ToJson supports named-field and newtype structs",
                ));
            }
        },
        Data::Enum(e) => {
            let mut arms = Vec::new();
            for v in &e.variants {
                let ident = &v.ident;
                let n = ident_name(ident);
                let json_name = if c.camel_case { camel_variant(&n) } else { n };
                arms.push(match (&v.fields, &c.tag, c.untagged) {
                    (Fields::Unit, _, true) => quote! { Self::#ident => __j::Value::Null },
                    (Fields::Unit, Some(tag), _) => quote! {
                        Self::#ident => {
                            let mut __m = __j::Map::new();
                            __j::put(&mut __m, #tag, __j::text(#json_name));
                            __j::Value::Object(__m)
                        }
                    },
                    (Fields::Unit, None, false) => quote! { Self::#ident => __j::text(#json_name) },
                    (Fields::Unnamed(f), tag, untagged) if f.unnamed.len() == 1 => {
                        if untagged {
                            quote! { Self::#ident(x) => __j::ToJson::to_json(x) }
                        } else if let Some(tag) = tag {
                            quote! { Self::#ident(x) => __j::tag_first(#tag, #json_name, __j::ToJson::to_json(x)) }
                        } else {
                            quote! { Self::#ident(x) => __j::single(#json_name, __j::ToJson::to_json(x)) }
                        }
                    }
                    (Fields::Named(fields), tag, false) => {
                        let idents = field_idents(fields);
                        let puts = put_fields(fields, false, false)?;
                        match tag {
                            Some(tag) => quote! {
                                Self::#ident { #(#idents),* } => {
                                    let mut __m = __j::Map::new();
                                    __j::put(&mut __m, #tag, __j::text(#json_name));
                                    #(#puts)*
                                    __j::Value::Object(__m)
                                }
                            },
                            None => quote! {
                                Self::#ident { #(#idents),* } => {
                                    let mut __m = __j::Map::new();
                                    #(#puts)*
                                    __j::single(#json_name, __j::Value::Object(__m))
                                }
                            },
                        }
                    }
                    _ => {
                        return Err(syn::Error::new_spanned(
                            v,
                            "ToJson supports unit, newtype and struct variants (untagged: unit and newtype)",
                        ));
                    }
                });
            }
            quote! {
                match self {
                    #(#arms,)*
                }
            }
        }
        Data::Union(_) => Tokens::new(),
    };
    Ok(quote! {
        impl crate::model::json::ToJson for #name {
            #[allow(unused_variables)]
            fn to_json(&self) -> crate::model::json::Value {
                use crate::model::json as __j;
                #body
            }
        }
    })
}
