//! The git room: the only module that talks to gix.
//!
//! It opens the repository a hook runs in, sees the objects of a push that
//! still wait in git's quarantine, and answers the few questions the gate
//! asks (what a ref or tag points at, where a new branch forked, which eval
//! files two commits differ in, how big a blob is). Everything it returns is
//! the project's own types; ids are [`ObjectId`] hex text.
//!
//! gix does not read `GIT_OBJECT_DIRECTORY` or
//! `GIT_ALTERNATE_OBJECT_DIRECTORIES`, so objects are looked up through a
//! chain of stores built here: the quarantine, then the repository's own
//! store, then each extra alternate. Nothing is written to disk: a file
//! left in the quarantine would be moved into the repository by git.
//! Only the low-level gix functions that take a `Find` are used, never
//! `Repository::diff_tree_to_tree`, which would load the whole HEAD tree
//! of a bare repository as an index.

use std::path::{Path, PathBuf};

use gix::objs::{Exists as _, Find, FindExt as _, FindHeader};

use crate::push::{Environment, ObjectFormat, ObjectId};

/// Why the repository or one of its objects could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not open the repository at `{path}`")]
    Open { path: PathBuf, source: gix::Error },
    #[error("could not open the object directory `{path}`")]
    ObjectDirectory { path: PathBuf, source: std::io::Error },
    #[error("object `{id}` is not in the repository or the push")]
    Missing { id: String },
    #[error("could not read object `{id}`")]
    Read { id: String, source: gix::Error },
    #[error("object `{id}` is a {found}, not a {expected}")]
    WrongKind { id: String, found: &'static str, expected: &'static str },
    #[error("could not read ref `{name}`")]
    Ref { name: String, source: gix::Error },
    #[error("could not list the repository's refs")]
    Refs { source: gix::Error },
    #[error("could not compare the trees `{base}` and `{tip}`")]
    Diff { base: String, tip: String, source: gix::diff::tree::Error },
    #[error("could not walk the history of `{tip}`")]
    Walk { tip: String, source: gix::Error },
    #[error("could not find where `{one}` and `{two}` forked")]
    MergeBase { one: String, two: String, source: gix::Error },
    #[error("BUG: `{id}` was checked as an object id but gix does not read it")]
    BadId { id: String },
}

/// The four kinds of git objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Commit => "commit",
            ObjectKind::Tree => "tree",
            ObjectKind::Blob => "blob",
            ObjectKind::Tag => "tag",
        }
    }
}

/// What an id turns out to be once annotated tags are peeled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peeled {
    Commit(ObjectId),
    /// A tree or blob (possibly behind tags): there is no commit to check.
    NotACommit(ObjectKind),
}

/// What a tree entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular or executable file.
    File,
    Symlink,
    /// A gitlink: a commit of another repository.
    Submodule,
    Folder,
}

/// A path whose entry is new or different in the tip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    /// `/`-separated from the repository root.
    pub path: String,
    pub kind: EntryKind,
    pub id: ObjectId,
}

/// A commit the repository does not have yet, with its first parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCommit {
    pub id: ObjectId,
    pub first_parent: Option<ObjectId>,
}

/// An open repository whose object lookups also see the pushed objects.
pub struct Repo {
    repo: gix::Repository,
    objects: Chain,
    commit_graph: Option<gix::commitgraph::Graph>,
    format: ObjectFormat,
}

/// How many bytes of decoded objects the repository handle may keep.
const OBJECT_CACHE_BYTES: usize = 4 << 20;

/// How many tags may stand in a row before peeling gives up.
const MAX_TAG_DEPTH: usize = 32;

impl Repo {
    /// Opens the repository at `env.git_dir` with the push's object directories.
    ///
    /// # Notes
    /// - Without `GIT_OBJECT_DIRECTORY` (delete-only pushes, or a run by
    ///   hand) only the repository's own objects are seen.
    /// - Directories that are the repository's own object store are skipped,
    ///   as git lists that one in `GIT_ALTERNATE_OBJECT_DIRECTORIES`.
    pub fn open(env: &Environment) -> Result<Repo, Error> {
        let mut repo = gix::open(&env.git_dir)
            .map_err(|source| Error::Open { path: env.git_dir.clone(), source })?;
        repo.object_cache_size_if_unset(OBJECT_CACHE_BYTES);
        repo.objects.set_pack_cache(pack_cache);
        let hash = repo.object_hash();
        let own = canonical(&repo.common_dir().join("objects"));

        let mut seen = vec![own];
        let mut extra = |dir: &Path| -> Result<Option<gix::odb::Handle>, Error> {
            let key = canonical(dir);
            if seen.contains(&key) {
                return Ok(None);
            }
            seen.push(key);
            let mut store = gix::odb::at(dir, hash)
                .map_err(|source| Error::ObjectDirectory { path: dir.to_owned(), source })?;
            // A miss would otherwise rescan the directory each time, and
            // every object of the repository is first a miss here.
            store.refresh_never();
            store.set_pack_cache(pack_cache);
            Ok(Some(store))
        };
        let quarantine = match &env.object_directory {
            Some(dir) => extra(dir)?,
            None => None,
        };
        let mut alternates = Vec::new();
        for dir in &env.alternate_object_directories {
            alternates.extend(extra(dir)?);
        }

        // A commit-graph file lets merge bases stop early; it is optional.
        let commit_graph = repo.commit_graph_if_enabled().ok().flatten();
        let objects = Chain { quarantine, main: repo.objects.clone(), alternates };
        let format = match hash {
            gix::hash::Kind::Sha256 => ObjectFormat::Sha256,
            _ => ObjectFormat::Sha1,
        };
        Ok(Repo { repo, objects, commit_graph, format })
    }

    pub fn object_format(&self) -> ObjectFormat {
        self.format
    }

    /// Follows annotated tags from `id` to a commit, if there is one.
    pub fn peel_to_commit(&self, id: &ObjectId) -> Result<Peeled, Error> {
        let mut current = self.gix_id(id)?;
        let mut buf = Vec::new();
        for _ in 0..MAX_TAG_DEPTH {
            let data = self.find(&current, &mut buf)?;
            match data.kind {
                gix::objs::Kind::Commit => return Ok(Peeled::Commit(own_id(&current))),
                gix::objs::Kind::Tag => {
                    let tag = gix::objs::TagRefIter::from_bytes(data.data, data.object_hash);
                    current = tag.target_id().map_err(|source| read_error(&current, source))?;
                }
                kind => return Ok(Peeled::NotACommit(object_kind(kind))),
            }
        }
        Ok(Peeled::NotACommit(ObjectKind::Tag))
    }

    /// The commit an existing ref points at, peeling annotated tags.
    ///
    /// `None` when there is no such ref or it does not lead to a commit.
    pub fn ref_commit(&self, name: &str) -> Result<Option<ObjectId>, Error> {
        let reference = self
            .repo
            .try_find_reference(name)
            .map_err(|source| Error::Ref { name: name.to_owned(), source })?;
        let Some(mut reference) = reference else { return Ok(None) };
        let id = reference
            .follow_to_object()
            .map_err(|source| Error::Ref { name: name.to_owned(), source })?;
        match self.peel_to_commit(&own_id(&id))? {
            Peeled::Commit(commit) => Ok(Some(commit)),
            Peeled::NotACommit(_) => Ok(None),
        }
    }

    /// The full name of the branch `HEAD` points at, even if it is unborn.
    pub fn default_branch(&self) -> Result<Option<String>, Error> {
        let name =
            self.repo.head_name().map_err(|source| Error::Ref { name: "HEAD".into(), source })?;
        Ok(name.map(|name| name.as_bstr().to_string()))
    }

    /// The best common ancestor of two commits, or `None` for unrelated histories.
    ///
    /// # Notes
    /// - For unrelated histories this walks both to their roots unless the
    ///   repository has a commit-graph file.
    pub fn merge_base(&self, one: &ObjectId, two: &ObjectId) -> Result<Option<ObjectId>, Error> {
        let (a, b) = (self.gix_id(one)?, self.gix_id(two)?);
        // TODO: no deadline on this walk; an orphan branch pushed into a long
        // history without a commit-graph walks all of it (10 ms for 2,000
        // commits, linear beyond).
        let mut graph = gix::revwalk::Graph::new(&self.objects, self.commit_graph.as_ref());
        let bases = gix_revision::merge_base(a, &[b], &mut graph).map_err(|source| {
            Error::MergeBase { one: one.to_string(), two: two.to_string(), source }
        })?;
        Ok(bases.map(|bases| own_id(bases.first())))
    }

    /// The eval files that are new or different in commit `tip` against `base`.
    ///
    /// Only the root entries `eval.yaml` and `.eval_results` are compared,
    /// and `.eval_results` is diffed only when its id changed, so the cost
    /// does not grow with the size of the rest of the repository. `base`
    /// `None` stands for an empty tree.
    ///
    /// # Notes
    /// - Deleted files are not returned.
    /// - A root entry that is not a file (`eval.yaml`) or not a folder
    ///   (`.eval_results`) is returned as what it is, for the caller to judge.
    /// - Folders inside `.eval_results` are not returned; their files are.
    pub fn changes(&self, base: Option<&ObjectId>, tip: &ObjectId) -> Result<Vec<Changed>, Error> {
        let new = self.root_entries(tip)?;
        let old = match base {
            Some(base) => self.root_entries(base)?,
            None => RootEntries::default(),
        };

        let mut changed = Vec::new();
        if let Some(entry) = new.eval_yaml.filter(|e| Some(*e) != old.eval_yaml) {
            changed.push(entry.changed("eval.yaml".into()));
        }
        let Some(results) = new.eval_results.filter(|e| Some(*e) != old.eval_results) else {
            return Ok(changed);
        };
        if !results.mode.is_tree() {
            changed.push(results.changed(".eval_results".into()));
            return Ok(changed);
        }
        let old_results = old.eval_results.filter(|e| e.mode.is_tree()).map(|e| e.id);
        self.diff_results(old_results, results.id, &mut changed)?;
        Ok(changed)
    }

    /// The blob of the root `eval.yaml` of the default branch (`HEAD`), if
    /// the branch exists and `eval.yaml` is a regular file there.
    ///
    /// This is how a benchmark repository on the server is read; it needs no
    /// push and no quarantine. Returns the branch name with the blob.
    pub fn default_branch_eval_yaml(&self) -> Result<Option<(String, ObjectId)>, Error> {
        let Some(branch) = self.default_branch()? else { return Ok(None) };
        let Some(commit) = self.ref_commit(&branch)? else { return Ok(None) };
        let entries = self.root_entries(&commit)?;
        let Some(entry) = entries.eval_yaml else { return Ok(None) };
        let changed = entry.changed("eval.yaml".into());
        Ok((changed.kind == EntryKind::File).then_some((branch, changed.id)))
    }

    /// The size of a blob, read from its header, without reading the blob.
    pub fn blob_size(&self, id: &ObjectId) -> Result<u64, Error> {
        let gid = self.gix_id(id)?;
        let header = self.objects.try_header(&gid).map_err(|source| read_error(&gid, source))?;
        let header = header.ok_or_else(|| Error::Missing { id: id.to_string() })?;
        match header.kind {
            gix::objs::Kind::Blob => Ok(header.size),
            kind => Err(wrong_kind(&gid, kind, "blob")),
        }
    }

    /// The bytes of a blob.
    pub fn read_blob(&self, id: &ObjectId) -> Result<Vec<u8>, Error> {
        let gid = self.gix_id(id)?;
        let mut buf = Vec::new();
        let data = self.find(&gid, &mut buf)?;
        match data.kind {
            gix::objs::Kind::Blob => Ok(data.data.to_vec()),
            kind => Err(wrong_kind(&gid, kind, "blob")),
        }
    }

    /// The commits reachable from `tip` but from no existing ref.
    ///
    /// # Notes
    /// - Every ref of the repository is a boundary, not only branches and
    ///   tags, as for `git rev-list <tip> --not --all`; the walk therefore
    ///   costs time in the number of refs and of new commits.
    /// - Annotated tags among the refs are peeled; refs to trees or blobs
    ///   are no boundary.
    pub fn new_commits(&self, tip: &ObjectId, known: &[ObjectId]) -> Result<Vec<NewCommit>, Error> {
        let walk_error = |source| Error::Walk { tip: tip.to_string(), source };
        let hidden = known.iter().map(|id| self.gix_id(id)).collect::<Result<Vec<_>, _>>()?;
        let walk = gix::traverse::commit::Simple::new([self.gix_id(tip)?], &self.objects)
            .hide(hidden)
            .map_err(walk_error)?;
        let mut commits = Vec::new();
        for info in walk {
            let info = info.map_err(walk_error)?;
            let first_parent = info.parent_ids.first().map(|id| own_id(id));
            commits.push(NewCommit { id: own_id(&info.id), first_parent });
        }
        Ok(commits)
    }

    /// The commits every existing ref leads to, for [`Repo::new_commits`].
    ///
    /// Only annotated tags are read in full; other refs cost a header read.
    pub fn known_commits(&self) -> Result<Vec<ObjectId>, Error> {
        let platform = self.repo.references().map_err(|source| Error::Refs { source })?;
        let mut commits = Vec::new();
        for reference in platform.all().map_err(|source| Error::Refs { source })? {
            let reference = reference.map_err(|source| Error::Refs { source })?;
            // Symbolic refs (HEAD, remotes' HEAD) name a ref that is listed too.
            let Some(id) = reference.target().try_id().map(ToOwned::to_owned) else { continue };
            let header = self.objects.try_header(&id).map_err(|source| read_error(&id, source))?;
            match header.map(|h| h.kind) {
                Some(gix::objs::Kind::Commit) => commits.push(own_id(&id)),
                Some(gix::objs::Kind::Tag) => {
                    if let Peeled::Commit(commit) = self.peel_to_commit(&own_id(&id))? {
                        commits.push(commit);
                    }
                }
                _ => {}
            }
        }
        commits.sort();
        commits.dedup();
        Ok(commits)
    }

    fn root_entries(&self, commit: &ObjectId) -> Result<RootEntries, Error> {
        let gid = self.gix_id(commit)?;
        let mut buf = Vec::new();
        let tree = {
            let mut iter = self
                .objects
                .find_commit_iter(&gid, &mut buf)
                .map_err(|e| self.lookup_error(&gid, e))?;
            iter.tree_id().map_err(|source| read_error(&gid, source))?
        };
        let mut found = RootEntries::default();
        // git may commit the empty tree without storing it.
        if tree.is_empty_tree() {
            return Ok(found);
        }
        let entries = self
            .objects
            .find_tree_iter(&tree, &mut buf)
            .map_err(|e| self.lookup_error(&tree, e))?;
        for entry in entries {
            let entry = entry.map_err(|source| read_error(&tree, source))?;
            let name: &[u8] = entry.filename.as_ref();
            let slot = match name {
                b"eval.yaml" => &mut found.eval_yaml,
                b".eval_results" => &mut found.eval_results,
                _ => continue,
            };
            *slot = Some(Entry { mode: entry.mode, id: entry.oid.to_owned() });
        }
        Ok(found)
    }

    fn diff_results(
        &self,
        old: Option<gix::ObjectId>,
        new: gix::ObjectId,
        changed: &mut Vec<Changed>,
    ) -> Result<(), Error> {
        let hash = self.repo.object_hash();
        let (mut old_buf, mut new_buf) = (Vec::new(), Vec::new());
        let lhs = match &old {
            Some(id) => self
                .objects
                .find_tree_iter(id, &mut old_buf)
                .map_err(|e| self.lookup_error(id, e))?,
            None => gix::objs::TreeRefIter::from_bytes(&[], hash),
        };
        let rhs = self
            .objects
            .find_tree_iter(&new, &mut new_buf)
            .map_err(|e| self.lookup_error(&new, e))?;
        let mut recorder = gix::diff::tree::Recorder::default();
        gix::diff::tree(lhs, rhs, gix::diff::tree::State::default(), &self.objects, &mut recorder)
            .map_err(|source| Error::Diff {
                base: old.map_or_else(|| "empty tree".to_owned(), |id| id.to_string()),
                tip: new.to_string(),
                source,
            })?;

        use gix::diff::tree::recorder::Change;
        for change in recorder.records {
            let (mode, oid, path) = match change {
                Change::Addition { entry_mode, oid, path, .. }
                | Change::Modification { entry_mode, oid, path, .. } => (entry_mode, oid, path),
                Change::Deletion { .. } => continue,
            };
            let entry = Entry { mode, id: oid };
            if entry.kind() != EntryKind::Folder {
                changed.push(entry.changed(format!(".eval_results/{path}")));
            }
        }
        Ok(())
    }

    fn find<'a>(
        &self,
        id: &gix::ObjectId,
        buf: &'a mut Vec<u8>,
    ) -> Result<gix::objs::Data<'a>, Error> {
        match self.objects.try_find(id, buf) {
            Ok(Some(data)) => Ok(data),
            Ok(None) => Err(Error::Missing { id: id.to_string() }),
            Err(source) => Err(read_error(id, source)),
        }
    }

    /// Tells a missing object from an unreadable one after a failed typed lookup.
    fn lookup_error(&self, id: &gix::ObjectId, source: gix::Error) -> Error {
        if self.objects.exists(id) {
            read_error(id, source)
        } else {
            Error::Missing { id: id.to_string() }
        }
    }

    fn gix_id(&self, id: &ObjectId) -> Result<gix::ObjectId, Error> {
        gix::ObjectId::from_hex(id.as_str().as_bytes())
            .map_err(|_| Error::BadId { id: id.to_string() })
    }
}

/// The two root entries the gate cares about.
#[derive(Clone, Copy, Debug, Default)]
struct RootEntries {
    eval_yaml: Option<Entry>,
    eval_results: Option<Entry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    mode: gix::objs::tree::EntryMode,
    id: gix::ObjectId,
}

impl Entry {
    fn kind(&self) -> EntryKind {
        use gix::objs::tree::EntryKind as K;
        match self.mode.kind() {
            K::Blob | K::BlobExecutable => EntryKind::File,
            K::Link => EntryKind::Symlink,
            K::Commit => EntryKind::Submodule,
            K::Tree => EntryKind::Folder,
        }
    }

    fn changed(&self, path: String) -> Changed {
        Changed { path, kind: self.kind(), id: own_id(&self.id) }
    }
}

/// A cache of delta bases for reading packs: the blobs of a push come as
/// chains of deltas against each other (often dozens deep), and without it
/// every read rebuilds its whole chain. Measured on a push of 1,000 result
/// files: 29.5 ms without, 18.5 ms with. Its memory is capped at 8 MiB a
/// handle (gix's default is 96 MiB): a push of a hundred 1 MB files peaked
/// at 116 MB with the default, 59 MB with this cap.
fn pack_cache() -> Box<gix::odb::cache::PackCache> {
    Box::new(gix::odb::pack::cache::lru::StaticLinkedList::<64>::new(PACK_CACHE_BYTES))
}

/// The most a delta-base cache holds, per object handle.
const PACK_CACHE_BYTES: usize = 8 << 20;

/// Object lookups in git's order for a hook: quarantine, repository, alternates.
struct Chain {
    quarantine: Option<gix::odb::Handle>,
    main: gix::OdbHandle,
    alternates: Vec<gix::odb::Handle>,
}

impl gix::objs::Find for Chain {
    fn try_find<'a>(
        &self,
        id: &gix::hash::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'a>>> {
        if let Some(quarantine) = &self.quarantine
            && quarantine.exists(id)
        {
            return quarantine.try_find(id, buffer);
        }
        if self.alternates.is_empty() || self.main.exists(id) {
            return self.main.try_find(id, buffer);
        }
        match self.alternates.iter().find(|store| store.exists(id)) {
            Some(store) => store.try_find(id, buffer),
            None => Ok(None),
        }
    }
}

impl gix::objs::FindHeader for Chain {
    fn try_header(&self, id: &gix::hash::oid) -> gix::Result<Option<gix::objs::Header>> {
        if let Some(quarantine) = &self.quarantine
            && let Some(header) = quarantine.try_header(id)?
        {
            return Ok(Some(header));
        }
        if let Some(header) = self.main.try_header(id)? {
            return Ok(Some(header));
        }
        for store in &self.alternates {
            if let Some(header) = store.try_header(id)? {
                return Ok(Some(header));
            }
        }
        Ok(None)
    }
}

impl gix::objs::Exists for Chain {
    fn exists(&self, id: &gix::hash::oid) -> bool {
        self.quarantine.as_ref().is_some_and(|q| q.exists(id))
            || self.main.exists(id)
            || self.alternates.iter().any(|store| store.exists(id))
    }
}

fn own_id(id: &gix::hash::oid) -> ObjectId {
    let format = match id.kind() {
        gix::hash::Kind::Sha256 => ObjectFormat::Sha256,
        _ => ObjectFormat::Sha1,
    };
    match ObjectId::from_hex(&id.to_hex().to_string(), format) {
        Some(own) => own,
        None => unreachable!("BUG: gix wrote `{id}` as an id of another length"),
    }
}

fn object_kind(kind: gix::objs::Kind) -> ObjectKind {
    match kind {
        gix::objs::Kind::Commit => ObjectKind::Commit,
        gix::objs::Kind::Tree => ObjectKind::Tree,
        gix::objs::Kind::Blob => ObjectKind::Blob,
        gix::objs::Kind::Tag => ObjectKind::Tag,
    }
}

fn read_error(id: &gix::hash::oid, source: gix::Error) -> Error {
    Error::Read { id: id.to_string(), source }
}

fn wrong_kind(id: &gix::hash::oid, found: gix::objs::Kind, expected: &'static str) -> Error {
    Error::WrongKind { id: id.to_string(), found: object_kind(found).as_str(), expected }
}

/// A path made comparable: absolute and resolved where it exists.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.into()))
}

/// A ref and the commit it leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTip {
    /// The full name, as `refs/pr/1`.
    pub name: String,
    pub commit: ObjectId,
}

/// An entry directly inside a commit's `.eval_results` folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultsEntry {
    /// The file name, without `.eval_results/`.
    pub name: String,
    pub kind: EntryKind,
    pub id: ObjectId,
}

/// How a repository on the server is read for leaderboards: refs, the
/// results files of a commit, commit times, and when a file last changed.
impl Repo {
    /// Opens a repository on the server, outside any push.
    pub fn open_at(git_dir: &Path) -> Result<Repo, Error> {
        Repo::open(&Environment { git_dir: git_dir.to_owned(), ..Environment::default() })
    }

    /// The refs whose full name `keep` accepts, with the commits they lead to.
    ///
    /// # Notes
    /// - Symbolic refs are skipped (the ref they name is listed itself);
    ///   refs that lead to a tree or blob are skipped too.
    pub fn refs_matching(&self, keep: impl Fn(&str) -> bool) -> Result<Vec<RefTip>, Error> {
        let platform = self.repo.references().map_err(|source| Error::Refs { source })?;
        let mut tips = Vec::new();
        for reference in platform.all().map_err(|source| Error::Refs { source })? {
            let reference = reference.map_err(|source| Error::Refs { source })?;
            let name = reference.name().as_bstr().to_string();
            if !keep(&name) {
                continue;
            }
            let Some(id) = reference.target().try_id().map(ToOwned::to_owned) else { continue };
            if let Peeled::Commit(commit) = self.peel_to_commit(&own_id(&id))? {
                tips.push(RefTip { name, commit });
            }
        }
        tips.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(tips)
    }

    /// The entries directly in the `.eval_results` folder of `commit`,
    /// sorted by name; empty when there is no such folder.
    ///
    /// # Notes
    /// - Sub-folders are returned as [`EntryKind::Folder`], not entered.
    /// - A `.eval_results` that is not a folder gives no entries.
    pub fn results_entries(&self, commit: &ObjectId) -> Result<Vec<ResultsEntry>, Error> {
        let Some(folder) = self.root_entries(commit)?.eval_results else { return Ok(Vec::new()) };
        if !folder.mode.is_tree() {
            return Ok(Vec::new());
        }
        let mut buf = Vec::new();
        let entries = self
            .objects
            .find_tree_iter(&folder.id, &mut buf)
            .map_err(|e| self.lookup_error(&folder.id, e))?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| read_error(&folder.id, source))?;
            let own = Entry { mode: entry.mode, id: entry.oid.to_owned() };
            found.push(ResultsEntry {
                name: entry.filename.to_string(),
                kind: own.kind(),
                id: own_id(&own.id),
            });
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(found)
    }

    /// The committer time of a commit, in Unix seconds.
    pub fn commit_time(&self, commit: &ObjectId) -> Result<i64, Error> {
        let gid = self.gix_id(commit)?;
        let mut buf = Vec::new();
        let iter = self
            .objects
            .find_commit_iter(&gid, &mut buf)
            .map_err(|e| self.lookup_error(&gid, e))?;
        let committer = iter.committer().map_err(|source| read_error(&gid, source))?;
        Ok(committer.seconds())
    }

    /// The commit that gave `.eval_results/<name>` the blob `blob`, found by
    /// following first parents from `tip` while the file stays the same.
    ///
    /// # Notes
    /// - At most `max_steps` parents are visited; when the walk stops there,
    ///   the last commit reached is returned, which is at or after the one
    ///   that made the change.
    /// - A merge that brought the file in is the commit returned, not the
    ///   commit on the side branch that wrote it (first parents only).
    pub fn last_change(
        &self,
        tip: &ObjectId,
        name: &str,
        blob: &ObjectId,
        max_steps: usize,
    ) -> Result<ObjectId, Error> {
        let mut current = tip.clone();
        for _ in 0..max_steps {
            let Some(parent) = self.first_parent(&current)? else { break };
            let same =
                self.results_entries(&parent)?.iter().any(|e| e.name == name && e.id == *blob);
            if !same {
                break;
            }
            current = parent;
        }
        Ok(current)
    }

    fn first_parent(&self, commit: &ObjectId) -> Result<Option<ObjectId>, Error> {
        let gid = self.gix_id(commit)?;
        let mut buf = Vec::new();
        let iter = self
            .objects
            .find_commit_iter(&gid, &mut buf)
            .map_err(|e| self.lookup_error(&gid, e))?;
        Ok(iter.parent_ids().next().map(|id| own_id(&id)))
    }
}
