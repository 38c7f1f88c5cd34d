package rtcschema

// The contact tables of SPEC 7 (reconstructed; the product and rtcsim both
// follow exactly these). Every version shares them; exportcontacts reads them
// and the delete plans remove the migrating user's own rows from them.

// Resource maps a user (UserAtHost, the SIP URI without "sip:") to its
// ResourceId. A delete never removes the Resource row: other users' Contact
// rows point at it.
var Resource = Table{
	Name: "Resource",
	Key:  []string{"ResourceId"},
	Columns: []Column{
		{Name: "ResourceId", Type: "int"},
		{Name: "UserAtHost", Type: "nvarchar(454)"},
	},
}

// ResourceDirectory holds a user's display name.
var ResourceDirectory = Table{
	Name: "ResourceDirectory",
	Key:  []string{"ResourceId"},
	Columns: []Column{
		{Name: "ResourceId", Type: "int"},
		{Name: "AdDisplayName", Type: "nvarchar(256)", Nullable: true},
	},
}

// ContactGroup is a user's contact groups; the default group is named "~".
var ContactGroup = Table{
	Name: "ContactGroup",
	Key:  []string{"OwnerId", "GroupNumber"},
	Columns: []Column{
		{Name: "OwnerId", Type: "int"},
		{Name: "GroupNumber", Type: "int"},
		{Name: "DisplayName", Type: "nvarchar(256)"},
		{Name: "ExternalUri", Type: "nvarchar(2048)", Nullable: true},
	},
}

// Contact is one buddy on a user's list. BuddyId is another Resource.
var Contact = Table{
	Name: "Contact",
	Key:  []string{"OwnerId", "BuddyId"},
	Columns: []Column{
		{Name: "OwnerId", Type: "int"},
		{Name: "BuddyId", Type: "int"},
		{Name: "DisplayName", Type: "nvarchar(256)", Nullable: true},
		{Name: "SubscribePresence", Type: "bit"},
	},
}

// ContactGroupAssoc puts a buddy into a group.
var ContactGroupAssoc = Table{
	Name: "ContactGroupAssoc",
	Key:  []string{"OwnerId", "BuddyId", "GroupNumber"},
	Columns: []Column{
		{Name: "OwnerId", Type: "int"},
		{Name: "BuddyId", Type: "int"},
		{Name: "GroupNumber", Type: "int"},
	},
}

// ContactTables are the tables exportcontacts reads (and checks) on every version.
func ContactTables() []Table {
	return []Table{Resource, ResourceDirectory, ContactGroup, Contact, ContactGroupAssoc}
}

// ownerTouches are a user's own rows in the contact tables: the rows with the
// user as owner. Contact rows of OTHER users whose BuddyId is this user are not
// touched (SPEC 6 invariant).
var ownerTouches = []Touch{
	{Table: "ContactGroupAssoc", Column: "OwnerId"},
	{Table: "Contact", Column: "OwnerId"},
	{Table: "ContactGroup", Column: "OwnerId"},
}
