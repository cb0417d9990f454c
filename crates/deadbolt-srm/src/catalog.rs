//! The catalog: responsibility layers, who owns each layer in each service model, the services a
//! stack can declare, and the customer's duties. The data lives in `catalog/*.toml` (its formats
//! are documented in `catalog/README.md`), is compiled into the binary, and is validated by
//! [`Catalog::problems`] in the tests.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A service model, NIST SP 800-145 plus on-premises and functions as a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceModel {
    /// Everything is the organisation's own.
    OnPremises,
    /// Infrastructure as a service: virtual machines, volumes, networks.
    Iaas,
    /// Platform as a service, including containers and managed Kubernetes.
    Paas,
    /// Functions as a service (serverless).
    Faas,
    /// Software as a service.
    Saas,
}

impl ServiceModel {
    /// Every model, from the most customer-owned to the most provider-owned.
    pub const ALL: [ServiceModel; 5] = [
        ServiceModel::OnPremises,
        ServiceModel::Iaas,
        ServiceModel::Paas,
        ServiceModel::Faas,
        ServiceModel::Saas,
    ];

    /// The usual abbreviation: `IaaS`, `on-premises`.
    pub fn label(self) -> &'static str {
        match self {
            ServiceModel::OnPremises => "on-premises",
            ServiceModel::Iaas => "IaaS",
            ServiceModel::Paas => "PaaS",
            ServiceModel::Faas => "FaaS",
            ServiceModel::Saas => "SaaS",
        }
    }
}

/// Who is responsible for a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The cloud or SaaS provider.
    Provider,
    /// The customer.
    Customer,
    /// Both, each for a named part.
    Shared,
}

impl Owner {
    /// `provider`, `customer`, `shared`.
    pub fn label(self) -> &'static str {
        match self {
            Owner::Provider => "provider",
            Owner::Customer => "customer",
            Owner::Shared => "shared",
        }
    }
}

/// How a customer duty is evidenced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// deadbolt rules check it.
    Automated,
    /// A person records it in the stack file.
    Attested,
    /// Neither yet.
    Gap,
}

/// A responsibility layer.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Stable snake_case ID (`host_os`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// One sentence.
    pub description: String,
}

/// A cloud whose ownership of a layer differs from the general rule.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// `aws`, `azure` or `gcp`.
    pub cloud: String,
    /// Its owner there.
    pub owner: Owner,
    /// Why, in one sentence.
    pub note: String,
    /// Source IDs.
    pub sources: Vec<String>,
}

/// Who owns one layer in one service model.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// The service model.
    pub model: ServiceModel,
    /// The layer ID.
    pub layer: String,
    /// The owner.
    pub owner: Owner,
    /// What the provider does, in one sentence.
    pub provider: String,
    /// What the customer does, in one sentence.
    pub customer: String,
    /// Source IDs.
    pub sources: Vec<String>,
    /// Per-cloud exceptions.
    #[serde(default, rename = "exception")]
    pub exceptions: Vec<Exception>,
}

/// A published source of ownership facts.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable ID.
    pub id: String,
    /// Title as published.
    pub title: String,
    /// Address.
    pub url: String,
}

/// One of the customer's duties.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    /// Stable UPPER-KEBAB ID (`DATA-ENCRYPT-AT-REST`).
    pub id: String,
    /// The layer ID.
    pub layer: String,
    /// What to do, imperative.
    pub title: String,
    /// What goes wrong when it is not done.
    pub why: String,
    /// How it is evidenced.
    pub evidence: Evidence,
    /// The rules that check it (automated duties).
    #[serde(default)]
    pub rules: Vec<String>,
}

/// A service a stack can declare.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable lower-kebab ID (`aws-s3`, `google-workspace`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Who provides it (`aws`, `azure`, `gcp`, `google`, `dropbox`, ...).
    pub cloud: String,
    /// Its service model.
    pub model: ServiceModel,
    /// Its category (`storage`, `compute`, `collaboration`, ...).
    pub category: String,
    /// The customer's duties specific to it.
    pub duties: Vec<String>,
    /// Terraform and CloudFormation resource types that mean a stack uses it.
    #[serde(default)]
    pub resource_types: Vec<String>,
}

/// The whole catalog.
#[derive(Clone, Debug, Serialize)]
pub struct Catalog {
    /// Layers, bottom (physical) to top.
    pub layers: Vec<Layer>,
    /// Ownership cells.
    pub cells: Vec<Cell>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Customer duties.
    pub duties: Vec<Duty>,
    /// Services.
    pub services: Vec<Service>,
}

/// A catalog file that does not parse.
#[derive(Debug)]
pub struct CatalogError {
    /// The file, relative to `catalog/`.
    pub file: &'static str,
    /// The parser's message, with the line.
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "catalog/{}: {}", self.file, self.message)
    }
}

impl std::error::Error for CatalogError {}

const FILES: [(&str, &str); 9] = [
    ("layers.toml", include_str!("../catalog/layers.toml")),
    ("models.toml", include_str!("../catalog/models.toml")),
    ("sources.toml", include_str!("../catalog/sources.toml")),
    ("duties.toml", include_str!("../catalog/duties.toml")),
    (
        "services/aws.toml",
        include_str!("../catalog/services/aws.toml"),
    ),
    (
        "services/azure.toml",
        include_str!("../catalog/services/azure.toml"),
    ),
    (
        "services/gcp.toml",
        include_str!("../catalog/services/gcp.toml"),
    ),
    (
        "services/hosting.toml",
        include_str!("../catalog/services/hosting.toml"),
    ),
    (
        "services/saas.toml",
        include_str!("../catalog/services/saas.toml"),
    ),
];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    layer: Vec<Layer>,
    #[serde(default)]
    cell: Vec<Cell>,
    #[serde(default)]
    source: Vec<Source>,
    #[serde(default)]
    duty: Vec<Duty>,
    #[serde(default)]
    service: Vec<Service>,
}

impl Catalog {
    /// The catalog compiled into this binary, parsed once.
    ///
    /// # Errors
    /// A [`CatalogError`] when a catalog file does not parse (the tests keep this from shipping).
    pub fn builtin() -> Result<&'static Catalog, &'static CatalogError> {
        static CATALOG: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        CATALOG.get_or_init(Catalog::parse_builtin).as_ref()
    }

    fn parse_builtin() -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog {
            layers: Vec::new(),
            cells: Vec::new(),
            sources: Vec::new(),
            duties: Vec::new(),
            services: Vec::new(),
        };
        for (file, text) in FILES {
            let parsed: File = toml::from_str(text).map_err(|e| CatalogError {
                file,
                message: e.to_string(),
            })?;
            catalog.layers.extend(parsed.layer);
            catalog.cells.extend(parsed.cell);
            catalog.sources.extend(parsed.source);
            catalog.duties.extend(parsed.duty);
            catalog.services.extend(parsed.service);
        }
        Ok(catalog)
    }

    /// The layer with this ID.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// The duty with this ID.
    pub fn duty(&self, id: &str) -> Option<&Duty> {
        self.duties.iter().find(|d| d.id == id)
    }

    /// The service with this ID.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// Who owns `layer` in `model`, on `cloud` (a per-cloud exception wins over the general rule).
    pub fn owner(&self, model: ServiceModel, layer: &str, cloud: &str) -> Option<Owner> {
        let cell = self
            .cells
            .iter()
            .find(|c| c.model == model && c.layer == layer)?;
        Some(
            cell.exceptions
                .iter()
                .find(|e| e.cloud == cloud)
                .map_or(cell.owner, |e| e.owner),
        )
    }

    /// The cell for `model` and `layer`.
    pub fn cell(&self, model: ServiceModel, layer: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.model == model && c.layer == layer)
    }

    /// The duties whose `rules` include `rule_id`.
    pub fn duties_of_rule<'a>(&'a self, rule_id: &'a str) -> impl Iterator<Item = &'a Duty> + 'a {
        self.duties
            .iter()
            .filter(move |d| d.rules.iter().any(|r| r == rule_id))
    }

    /// The services whose `resource_types` include `resource_type`.
    pub fn services_of_type(&self, resource_type: &str) -> Vec<&Service> {
        self.services
            .iter()
            .filter(|s| s.resource_types.iter().any(|t| t == resource_type))
            .collect()
    }

    /// Every integrity problem, empty when the catalog is sound: duplicate IDs; references to
    /// layers, sources, duties or rules that do not exist; a (model, layer) pair with no cell or
    /// two; an automated duty without rules or another duty with some; a rule of `rule_ids` that
    /// no duty covers.
    pub fn problems(&self, rule_ids: &HashSet<&str>) -> Vec<String> {
        let mut out = Vec::new();
        let mut unique = |kind: &str, ids: Vec<&str>| {
            let mut seen = HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    out.push(format!("duplicate {kind} ID `{id}`"));
                }
            }
        };
        unique("layer", self.layers.iter().map(|l| l.id.as_str()).collect());
        unique(
            "source",
            self.sources.iter().map(|s| s.id.as_str()).collect(),
        );
        unique("duty", self.duties.iter().map(|d| d.id.as_str()).collect());
        unique(
            "service",
            self.services.iter().map(|s| s.id.as_str()).collect(),
        );
        let layers: HashSet<&str> = self.layers.iter().map(|l| l.id.as_str()).collect();
        let sources: HashSet<&str> = self.sources.iter().map(|s| s.id.as_str()).collect();
        let duties: HashSet<&str> = self.duties.iter().map(|d| d.id.as_str()).collect();
        let mut cells: BTreeMap<(ServiceModel, &str), usize> = BTreeMap::new();
        for cell in &self.cells {
            *cells.entry((cell.model, cell.layer.as_str())).or_default() += 1;
            if !layers.contains(cell.layer.as_str()) {
                out.push(format!(
                    "cell {}/{} names an unknown layer",
                    cell.model.label(),
                    cell.layer
                ));
            }
            let cited = cell
                .sources
                .iter()
                .chain(cell.exceptions.iter().flat_map(|e| &e.sources));
            for source in cited {
                if !sources.contains(source.as_str()) {
                    out.push(format!(
                        "cell {}/{} cites unknown source `{source}`",
                        cell.model.label(),
                        cell.layer
                    ));
                }
            }
        }
        for model in ServiceModel::ALL {
            for layer in &self.layers {
                match cells.get(&(model, layer.id.as_str())) {
                    Some(1) => {}
                    Some(n) => out.push(format!("{n} cells for {}/{}", model.label(), layer.id)),
                    None => out.push(format!("no owner for {}/{}", model.label(), layer.id)),
                }
            }
        }
        let mut covered: HashSet<&str> = HashSet::new();
        for duty in &self.duties {
            if !layers.contains(duty.layer.as_str()) {
                out.push(format!(
                    "duty {} has unknown layer `{}`",
                    duty.id, duty.layer
                ));
            }
            match (duty.evidence, duty.rules.is_empty()) {
                (Evidence::Automated, true) => {
                    out.push(format!("duty {} is automated but names no rule", duty.id))
                }
                (Evidence::Attested | Evidence::Gap, false) => out.push(format!(
                    "duty {} names rules but is not marked automated",
                    duty.id
                )),
                _ => {}
            }
            for rule in &duty.rules {
                if rule_ids.contains(rule.as_str()) {
                    covered.insert(rule);
                } else {
                    out.push(format!("duty {} names unknown rule `{rule}`", duty.id));
                }
            }
        }
        let mut uncovered: Vec<&&str> = rule_ids.difference(&covered).collect();
        uncovered.sort();
        for rule in uncovered {
            out.push(format!("rule {rule} is not part of any duty"));
        }
        for service in &self.services {
            for duty in &service.duties {
                if !duties.contains(duty.as_str()) {
                    out.push(format!(
                        "service {} names unknown duty `{duty}`",
                        service.id
                    ));
                }
            }
        }
        out
    }
}
